"""`make run` answers /sante within 15 s; Ctrl-C leaves no process and no bound port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import requests

from infra.local.runtime import port_libre

RACINE = Path(__file__).resolve().parents[2]


def port_occupe(port: int) -> bool:
    # SO_REUSEADDR as servers do: a socket in TIME_WAIT is not a bound port, a listener is.
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def test_make_run_puis_ctrl_c(tmp_path: Path) -> None:
    port, port_moto = port_libre(), port_libre()
    env = {**os.environ, "SEGURNUM_ETAT_LOCAL": str(tmp_path / "etat.json")}
    processus = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}", f"PORT_MOTO={port_moto}"],
        cwd=RACINE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        text=True,
    )
    debut = time.monotonic()
    try:
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/sante", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            assert time.monotonic() - debut < 15, "GET /sante sans réponse après 15 s"
            assert processus.poll() is None, processus.stdout.read() if processus.stdout else ""
            time.sleep(0.2)
        descendants = psutil.Process(processus.pid).children(recursive=True)
        # Ctrl-C in a terminal signals the whole foreground process group.
        os.killpg(processus.pid, signal.SIGINT)
        sortie, _ = processus.communicate(timeout=20)
    finally:
        if processus.poll() is None:
            os.killpg(processus.pid, signal.SIGKILL)
    # make itself dies of the SIGINT (as in a terminal); the platform stopped cleanly.
    assert processus.returncode in (0, -signal.SIGINT, 130), sortie
    assert "Plateforme locale arrêtée." in sortie
    assert f"http://127.0.0.1:{port}" in sortie and f"http://127.0.0.1:{port_moto}" in sortie
    assert "segurnum jeton" in sortie
    assert not [p for p in descendants if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not port_occupe(port) and not port_occupe(port_moto)
    assert not (tmp_path / "etat.json").exists()
