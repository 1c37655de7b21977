// @vitest-environment node
// src/api/schema.ts is the contract's types, never edited by hand: regenerated here from
// docs/openapi.json into a temporary file, it must be the committed one.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

const WEB = resolve(import.meta.dirname, "../..");
const dossier = mkdtempSync(join(tmpdir(), "schema-api-"));

afterAll(() => rmSync(dossier, { recursive: true, force: true }));

describe("the API's generated types", () => {
  it("are those of docs/openapi.json", () => {
    const sortie = join(dossier, "schema.ts");
    execFileSync(process.execPath, [join(WEB, "scripts/genererApi.mjs"), sortie], { stdio: ["ignore", "ignore", "pipe"] });
    const attendu = readFileSync(sortie, "utf8");
    const actuel = readFileSync(join(WEB, "src/api/schema.ts"), "utf8");
    expect(actuel === attendu, "types périmés: lancer npm run gen:api (dans web/)").toBe(true);
  }, 60_000);
});
