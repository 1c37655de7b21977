"""Keys of the single table's records, shared by the services that write and read them.

Services never import each other; what one writes and another reads is defined in
`shared/`: one module per record (docs/architecture.md lists them), the keys here.
The table design is documented in docs/dynamodb.md.
"""

from __future__ import annotations


def cle_depot(id_depot: str) -> dict[str, str]:
    return {"PK": f"DEPOT#{id_depot}", "SK": "DEPOT"}


def cle_dossier(numero_asp: str) -> dict[str, str]:
    return {"PK": f"DOSSIER#{numero_asp}", "SK": "DOSSIER"}


def cle_finess(campagne: str, couloir: str, finess: str) -> dict[str, str]:
    return {"PK": f"FINESS#{campagne}#{couloir}#{finess}", "SK": "FINESS"}


def cle_numero_dossier(siret: str, numero_dossier: str) -> dict[str, str]:
    return {"PK": f"EDITEUR#{siret}", "SK": f"NUMDOSSIER#{numero_dossier}"}
