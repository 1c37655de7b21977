"""The ZIP check on a 200 MB archive: bytes read by the structure pass, peak memory, time.

`python benchmarks/bench_zip.py` generates (in a temporary directory) a 200 MB ZIP of 100
members of about 2 MB (incompressible bytes wrapped as valid PDFs, stored and deflate
alternately), then, in this one run, measures:
- the structure pass (end records, central directory) reads ≤ 5 % of the bytes;
- the full check's peak RSS stays ≤ 64 MB above a baseline interpreter that imports the
  same modules (each in a fresh subprocess, `ru_maxrss`), compared with the naive way
  (download into memory + `zipfile.ZipFile(BytesIO).testzip()`);
- its wall time is ≤ 1.3 x `zipfile.ZipFile(path).testzip()` on the same local file (best
  of N runs each, alternated).
Prints the numbers; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lecteur_zip import MO, verifier_archive
from services.depot.adapters.sources_zip import SourceFichier

NOMBRE_MEMBRES = 100
TAILLE_ARCHIVE = 200 * MO
CIBLE_STRUCTURE = 0.05  # share of the bytes read by the structure pass
CIBLE_MEMOIRE = 64 * MO  # peak RSS above the baseline
CIBLE_TEMPS = 1.3  # ratio to zipfile.testzip()
ESSAIS = 5


def generer(chemin: Path) -> None:
    # Leave room for headers and deflate's few bytes of overhead on random data.
    charge = TAILLE_ARCHIVE // NOMBRE_MEMBRES - 4096
    with zipfile.ZipFile(chemin, "w") as archive:
        for i in range(NOMBRE_MEMBRES):
            contenu = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + os.urandom(charge) + b"\n%%EOF\n"
            methode = zipfile.ZIP_STORED if i % 2 == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(f"MS1_piece-{i:05d}.pdf", contenu, methode, compresslevel=1)


class SourceComptee:
    """Counts the bytes of the structure pass (`lire`) and of the content pass (`flux`)."""

    def __init__(self, source: SourceFichier) -> None:
        self.source = source
        self.octets_structure = 0
        self.octets_contenu = 0

    @property
    def taille(self) -> int:
        return self.source.taille

    def lire(self, debut: int, longueur: int) -> bytes:
        donnees = self.source.lire(debut, longueur)
        self.octets_structure += len(donnees)
        return donnees

    def flux(self, debut: int, fin: int) -> Iterator[bytes]:
        for morceau in self.source.flux(debut, fin):
            self.octets_contenu += len(morceau)
            yield morceau


def mesurer_dans_ce_processus(mode: str, chemin: str) -> None:
    """Subprocess side: run one mode, print ru_maxrss (KiB on Linux)."""
    if mode == "verification":
        with SourceFichier(chemin) as source:
            resultat = verifier_archive(source)
        assert resultat.accepte, resultat.problemes[:3]
    elif mode == "naif":
        with open(chemin, "rb") as fichier:
            tampon = io.BytesIO(fichier.read())
        assert zipfile.ZipFile(tampon).testzip() is None
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def rss_max(mode: str, chemin: Path) -> int:
    sortie = subprocess.run(
        [sys.executable, __file__, "--mesure", mode, str(chemin)],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(sortie.stdout.split()[-1]) * 1024


def chronometrer(fonction: object) -> float:
    assert callable(fonction)
    debut = time.perf_counter()
    fonction()
    return time.perf_counter() - debut


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench_zip_") as dossier:
        chemin = Path(dossier) / "pieces.zip"
        debut = time.perf_counter()
        generer(chemin)
        taille = chemin.stat().st_size
        print(
            f"archive: {taille:,} octets ({taille / MO:.1f} Mo), {NOMBRE_MEMBRES} membres, "
            f"générée en {time.perf_counter() - debut:.1f} s"
        )
        if taille > TAILLE_ARCHIVE:
            print("l'archive générée dépasse 200 Mo: générateur à revoir")
            return 2

        # 1. bytes read by the structure pass, in one full check
        with SourceFichier(chemin) as fichier:
            source = SourceComptee(fichier)
            resultat = verifier_archive(source)
        assert resultat.accepte and len(resultat.membres) == NOMBRE_MEMBRES, resultat.problemes
        part_structure = source.octets_structure / taille
        total_lu = (source.octets_structure + source.octets_contenu) / taille

        # 2. peak memory, each in a fresh interpreter
        base = rss_max("base", chemin)
        verification = rss_max("verification", chemin) - base
        naif = rss_max("naif", chemin) - base
        print(
            f"ru_maxrss: base (mêmes imports) {base / MO:.1f} Mo, vérification "
            f"{(base + verification) / MO:.1f} Mo, naïf {(base + naif) / MO:.1f} Mo"
        )

        # 3. wall time against zipfile.testzip() on the same file, best of N, alternated
        def notre_verification() -> None:
            with SourceFichier(chemin) as source_fichier:
                verifier_archive(source_fichier)

        def testzip() -> None:
            with zipfile.ZipFile(chemin) as archive:
                assert archive.testzip() is None

        nos_temps, temps_zipfile = [], []
        for _ in range(ESSAIS):
            nos_temps.append(chronometrer(notre_verification))
            temps_zipfile.append(chronometrer(testzip))
        ratio = min(nos_temps) / min(temps_zipfile)

    resultats = [
        (
            "structure: part des octets lus",
            f"{part_structure:.4%} ({source.octets_structure:,} octets)",
            f"≤ {CIBLE_STRUCTURE:.0%}",
            part_structure <= CIBLE_STRUCTURE,
        ),
        (
            "vérification complète: octets lus / taille",
            f"{total_lu:.4f}",
            "(chaque octet une fois)",
            True,
        ),
        (
            "pic RSS au-dessus de la base",
            f"{verification / MO:.1f} Mo",
            f"≤ {CIBLE_MEMOIRE // MO} Mo",
            verification <= CIBLE_MEMOIRE,
        ),
        (
            "  naïf (BytesIO + testzip), pour comparer",
            f"{naif / MO:.1f} Mo",
            "",
            True,
        ),
        (
            "temps: vérification complète",
            f"{min(nos_temps):.2f} s",
            "",
            True,
        ),
        ("temps: zipfile.ZipFile(path).testzip()", f"{min(temps_zipfile):.2f} s", "", True),
        ("temps: ratio", f"{ratio:.2f}", f"≤ {CIBLE_TEMPS}", ratio <= CIBLE_TEMPS),
    ]
    echec = False
    for libelle, valeur, cible, atteinte in resultats:
        echec |= not atteinte
        marque = "" if not cible else ("ok" if atteinte else "MANQUÉ")
        print(f"{libelle:45} {valeur:>32}  {cible:>10} {marque}")
    return 1 if echec else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mesure", nargs=2, metavar=("MODE", "CHEMIN"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.mesure:
        mesurer_dans_ce_processus(*arguments.mesure)
        sys.exit(0)
    sys.exit(main())
