"""The ZIP reader of the pièces justificatives: every rule of format MS v1 §5, in bounded
memory and time.


Why a hand-written reader and not `zipfile` alone:
- `zipfile` trusts the central directory: it never compares it with the local headers, the
  data descriptors or the real length of the deflate stream, so a central directory that
  lies about sizes goes unnoticed, and it does not see members whose data overlap (David
  Fifield's "better zip bomb": thousands of entries pointing at one kernel).
- It cannot bound the work per member: `testzip()` inflates every member to its end, so a
  bomb costs its full uncompressed size in time; here each member stops as soon as its
  output passes 3 MB or a 100:1 ratio (`zlib.decompressobj` with `max_length`).
- It needs a seekable file, hence the whole object downloaded from S3 (or held in memory);
  here the archive is read through `SourceAleatoire`: a few small ranged reads for the
  structure (end records, central directory), then ONE sequential pass over the data.

A package of its own, outside the services: it imports nothing of `services`, `shared` or
`infra` (an import-linter contract in pyproject.toml keeps it so) and nothing but the
standard library; the dépôt service's adapters provide the sources (local file, S3 object).
Layout of a ZIP: [local header + data (+ data descriptor)]* central directory
[ZIP64 end record + ZIP64 locator] end of central directory (EOCD) [comment].

Modules: `modele` (limits, sources, problems, accepted members: what the check returns),
`contenu` (a pièce's signature and end marker, also used alone by the enrolment's single
documents), `structures` (ZIP records, sequential reading, extra fields), `repertoire` and
`entrees` (end records, central directory, names, declared values), `donnees` (bounded
inflation, CRC, content), `analyse` (the whole check), `extraction` (copying an accepted
member out).
"""

from lecteur_zip.analyse import verifier_archive
from lecteur_zip.extraction import extraire_membre
from lecteur_zip.modele import (
    LIMITES_MS_V1,
    MO,
    CodeProbleme,
    ExtractionImpossible,
    Limites,
    MembreArchive,
    ProblemePiece,
    ResultatArchive,
    SourceAleatoire,
    SourceOctets,
)

__all__ = [
    "LIMITES_MS_V1",
    "MO",
    "CodeProbleme",
    "ExtractionImpossible",
    "Limites",
    "MembreArchive",
    "ProblemePiece",
    "ResultatArchive",
    "SourceAleatoire",
    "SourceOctets",
    "extraire_membre",
    "verifier_archive",
]
