"""Copying an accepted member out of the archive, read again and checked."""

from __future__ import annotations

import zlib

from lecteur_zip.modele import (
    ExtractionImpossible,
    MembreArchive,
    SourceAleatoire,
)
from lecteur_zip.structures import (
    METHODE_DEFLATE,
    METHODE_STOCKEE,
    Flux,
)


def extraire_membre(source: SourceAleatoire, membre: MembreArchive) -> bytes:
    """The content of an accepted member (≤ 3 MB), read again and verified (size, CRC-32).

    Raises ExtractionImpossible when the archive no longer holds what the check accepted.
    """
    debut = membre.debut_donnees
    flux = Flux(source.flux(debut, debut + membre.taille_compressee), debut)
    morceaux: list[bytes] = []
    produit = 0
    try:
        if membre.methode == METHODE_STOCKEE:
            for vue in flux.morceaux(membre.taille_compressee):
                morceaux.append(bytes(vue))
                produit += len(vue)
        elif membre.methode == METHODE_DEFLATE:
            decompresseur = zlib.decompressobj(-15)
            for vue in flux.morceaux(membre.taille_compressee):
                donnees: bytes | memoryview = vue
                while donnees and produit <= membre.taille:
                    sortie = decompresseur.decompress(donnees, membre.taille + 1 - produit)
                    morceaux.append(sortie)
                    produit += len(sortie)
                    donnees = decompresseur.unconsumed_tail
                    if decompresseur.eof:
                        break
            if not decompresseur.eof:
                raise ExtractionImpossible(f"{membre.nom}: flux deflate incomplet")
        else:
            raise ExtractionImpossible(f"{membre.nom}: méthode {membre.methode}")
    except zlib.error as erreur:
        raise ExtractionImpossible(f"{membre.nom}: données compressées invalides") from erreur
    finally:
        flux.fermer()
    contenu = b"".join(morceaux)
    if len(contenu) != membre.taille or zlib.crc32(contenu) != membre.crc:
        raise ExtractionImpossible(f"{membre.nom}: taille ou CRC-32 différent de la vérification")
    return contenu
