/// <reference types="vite/client" />
// The ALTCHA widget (the proof of work computed in the browser), loaded by the enrolment
// form only. `altcha/external`: no worker built from a blob (the portal's CSP allows
// scripts of its own origin only), the PBKDF2 worker is a file of the build instead.
import "altcha/external";
import "altcha/altcha.css";
import "altcha/i18n/fr-fr";
import Pbkdf2Worker from "altcha/workers/pbkdf2?worker";

// The platform's challenges use PBKDF2/SHA-256 (services/enrolment/adapters/anti_robot.py).
globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Pbkdf2Worker());
