"""The local platform: moto server + resources from resources.yaml + in-process Lambdas +
schedule firing + the Chalice app served like `chalice local`, all on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.horloge import HorlogeDecalee, heure_paris, installer_horloge

FICHIER_ETAT = Path(os.environ.get("SEGURNUM_ETAT_LOCAL", ".segurnum-local.json"))


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RuntimeLocal:
    port_moto: int = 0
    port_api: int = 0
    horloge_depart: datetime | None = None
    ecrire_etat: bool = False
    horloge: HorlogeDecalee = field(init=False)
    environnement: dict[str, str] = field(default_factory=dict, init=False)
    _moto: Any = field(default=None, init=False)
    _api: Any = field(default=None, init=False)
    _thread_api: threading.Thread | None = field(default=None, init=False)
    planificateur: Any = field(default=None, init=False)
    releveur: Any = field(default=None, init=False)
    _verificateur: Any = field(default=None, init=False)
    _portail: Any = field(default=None, init=False)  # infra/local/portail.py, when served

    @property
    def url_moto(self) -> str:
        return f"http://127.0.0.1:{self.port_moto}"

    @property
    def url_api(self) -> str:
        return f"http://127.0.0.1:{self.port_api}"

    def demarrer(self) -> RuntimeLocal:
        import requests
        from moto.server import ThreadedMotoServer

        from infra.local import (
            appels_aws,
            dynamodb_moto,
            en_processus,
            jetons,
            shim,
            verrou_dynamodb,
            verrou_sqs,
        )
        from infra.local.planificateur import Planificateur
        from infra.local.provision import Provisionneur
        from infra.local.releveur import Releveur
        from shared.aws import oublier_clients
        from shared.settings import recharger

        # moto's and chalice's per-request access lines would drown the platform's own logs.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        from chalice.local import ChaliceRequestHandler

        ChaliceRequestHandler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
        warnings.filterwarnings("ignore", module="chalice.local")
        warnings.filterwarnings("ignore", message="No application metrics to publish")

        self.port_moto = self.port_moto or port_libre()
        self.port_api = self.port_api or port_libre()
        # Credentials and region for every boto3 client of this process (moto accepts any).
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": "eu-west-3",
                "AWS_REGION": "eu-west-3",
                "MOTO_PORT": str(self.port_moto),  # Step Functions' Lambda tasks call back here
                "SEGURNUM_ENDPOINT_URL": self.url_moto,
                "SEGURNUM_LOCAL": "1",
                "POWERTOOLS_METRICS_NAMESPACE": "segurnum",
                "POWERTOOLS_DEV": "false",
            }
        )
        recharger()
        oublier_clients()

        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port_moto, verbose=False)
        self._moto.start()
        # This process's own AWS calls: in process, not one TCP connection each.
        en_processus.installer(self._moto._server.app, self.port_moto)
        requests.post(
            f"{self.url_moto}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": True}},
            timeout=10,
        ).raise_for_status()
        shim.installer()
        appels_aws.installer()  # which function makes which AWS call (tests/privileges)
        dynamodb_moto.installer()  # before the lock: the lock wraps the patched functions
        verrou_dynamodb.installer()
        verrou_sqs.installer()

        self.horloge = HorlogeDecalee(self.horloge_depart)
        installer_horloge(self.horloge)

        self.environnement = Provisionneur().tout()
        os.environ.update(self.environnement)
        recharger()
        oublier_clients()
        self._verificateur = jetons.verificateur()

        self.planificateur = Planificateur(self.horloge)
        self.planificateur.demarrer()
        self.releveur = Releveur()
        self.releveur.demarrer()
        self._servir_api()
        if self.ecrire_etat:
            FICHIER_ETAT.write_text(json.dumps(self.etat(), indent=2), encoding="utf-8")
        return self

    def etat(self) -> dict[str, Any]:
        etat = {"api": self.url_api, "moto": self.url_moto, "environnement": self.environnement}
        return etat | ({"portail": self._portail.url} if self._portail else {})

    def servir_portail(self, port: int = 0) -> str:
        """Serves the built portal (web/dist) on 127.0.0.1; the API allows its origin (CORS)."""
        from infra.local.portail import DOSSIER_PORTAIL, ServeurPortail, autoriser_origines

        if self._portail is not None:  # one portal at a time
            self._portail.arreter()
        self._portail = ServeurPortail(DOSSIER_PORTAIL, port, self.url_api).demarrer()
        autoriser_origines(self._api, self._portail.origines())
        if self.ecrire_etat:
            FICHIER_ETAT.write_text(json.dumps(self.etat(), indent=2), encoding="utf-8")
        return str(self._portail.url)

    def _servir_api(self) -> None:
        from chalice.config import Config

        from infra.app import app
        from infra.local.admin import bp as admin
        from infra.local.passerelle import serveur_local

        admin.runtime = self  # type: ignore[attr-defined]
        if "/_local/horloge" not in app.routes:
            app.register_blueprint(admin)
        config = Config.create(
            chalice_stage="dev",
            app_name="segurnum",
            chalice_app=app,
            project_dir=str(Path(__file__).resolve().parent.parent),
        )
        self._api = serveur_local(app, config, "127.0.0.1", self.port_api, self._verificateur)
        self._thread_api = threading.Thread(target=self._api.serve_forever, name="api", daemon=True)
        self._thread_api.start()

    def regler_horloge(self, instant: datetime | str) -> None:
        self.horloge.regler(heure_paris(instant) if isinstance(instant, str) else instant)

    def arreter(self) -> None:
        from infra.local import (
            appels_aws,
            dynamodb_moto,
            en_processus,
            shim,
            verrou_dynamodb,
            verrou_sqs,
        )

        if self.planificateur:
            self.planificateur.arreter()
        if self.releveur:
            self.releveur.arreter()
        if self._portail is not None:
            self._portail.arreter()
        if self._api is not None:
            self._api.shutdown()
            self._api.server.server_close()
        if self._thread_api:
            self._thread_api.join(timeout=5)
        if self._moto is not None:
            self._moto.stop()
        appels_aws.ecrire_si_demande(self.environnement)
        en_processus.desinstaller()
        shim.desinstaller()
        verrou_dynamodb.desinstaller()
        verrou_sqs.desinstaller()
        dynamodb_moto.desinstaller()
        if self.ecrire_etat and FICHIER_ETAT.exists():
            FICHIER_ETAT.unlink()

    def __enter__(self) -> RuntimeLocal:
        return self.demarrer()

    def __exit__(self, *exc: object) -> None:
        self.arreter()
