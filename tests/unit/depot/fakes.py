"""In-memory implementations of the dépôt service's ports, with the adapters' behaviour:
conditional claims, optimistic locking, all-or-nothing writes (under one lock, as
DynamoDB serialises the transactions touching the same items).

Each fake subclasses its port (a `typing.Protocol`), so that `make typecheck` (mypy strict
over the fakes modules) fails when a port gains or changes a method the fake lacks."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.depot.application.ports import (
    Bail,
    Compteur,
    ContexteDepot,
    Depots,
    Dossiers,
    Enrolements,
    EnvoiAutorise,
    FileImport,
    IssueEcriture,
    ObjetLu,
    Referencement,
    RegistrePlateforme,
    ReservationLigne,
    Stockage,
    TypeIssue,
    VersionPerimee,
)
from services.depot.domain.depot import Depot, Dossier, StatutDepot, json_canonique, lire_json
from shared.campagnes import TypeDemande
from shared.enrolement import EnrolementEditeur
from shared.historique import EntreeHistorique
from shared.montant import Montant


class DepotsEnMemoire(Depots):
    def __init__(self) -> None:
        self.depots: dict[str, Depot] = {}
        self._verrou = threading.Lock()

    def ajouter(self, depot: Depot) -> Depot:
        with self._verrou:
            if depot.id in self.depots:
                raise VersionPerimee(depot.id)
            self.depots[depot.id] = replace(depot, version=1)
            return self.depots[depot.id]

    def lire(self, id_depot: str) -> Depot | None:
        return self.depots.get(id_depot)

    def retirer_orphelin(self, id_depot: str) -> None:
        with self._verrou:
            stocke = self.depots.get(id_depot)
            if stocke is not None and stocke.statut is StatutDepot.CREE:
                del self.depots[id_depot]

    def enregistrer(self, depot: Depot) -> Depot:
        with self._verrou:
            stocke = self.depots.get(depot.id)
            if stocke is None or stocke.version != depot.version:
                raise VersionPerimee(depot.id)
            self.depots[depot.id] = replace(depot, version=depot.version + 1)
            return self.depots[depot.id]

    def lister(self, siret: str) -> list[Depot]:
        return sorted(
            (d for d in self.depots.values() if d.siret == siret),
            key=lambda d: (d.cree_le, d.id),
            reverse=True,
        )

    def page(
        self, siret: str, limite: int, depart: dict[str, Any] | None
    ) -> tuple[list[Depot], dict[str, Any] | None]:
        """As the table's query: newest first, resumed after the key it gave (opaque to
        the caller), None once the last one is given."""
        tous = self.lister(siret)
        debut = 0 if depart is None else [d.id for d in tous].index(depart["id"]) + 1
        page = tous[debut : debut + limite]
        return page, {"id": page[-1].id} if page and debut + limite < len(tous) else None


class EnrolementsEnMemoire(Enrolements):
    def __init__(self) -> None:
        self.referencements: dict[str, Referencement] = {}
        self.enrolements: dict[tuple[str, str], EnrolementEditeur] = {}

    def enroler(
        self,
        siret: str = "73282932000074",
        numero_ans: str = "ANS0000001",
        couloir: str = "MS1",
        statut: str = "VALIDE",
    ) -> None:
        self.referencements[numero_ans] = Referencement(
            numero_ans, couloir, "DUI", "1", "Solution", siret
        )
        self.enrolements[(siret, numero_ans)] = EnrolementEditeur(
            siret=siret,
            numero_ans=numero_ans,
            statut=statut,
            email="editeur@example.fr",
            raison_sociale="Éditeur",
        )

    def enrolement(self, siret: str, numero_ans: str) -> EnrolementEditeur | None:
        return self.enrolements.get((siret, numero_ans))

    def referencement(self, numero_ans: str) -> Referencement | None:
        return self.referencements.get(numero_ans)


class StockageEnMemoire(Stockage):
    """A versioned bucket."""

    def __init__(self) -> None:
        self.objets: dict[str, list[tuple[str, bytes]]] = {}
        self.envois: list[EnvoiAutorise] = []

    def autoriser_envoi(self, cle: str, taille_max: int, expiration: timedelta) -> EnvoiAutorise:
        envoi = EnvoiAutorise(
            url="https://depots.s3.example/",
            champs={"key": cle},
            cle=cle,
            expire_le=datetime.now(UTC) + expiration,
            taille_max=taille_max,
        )
        self.envois.append(envoi)
        return envoi

    def deposer(self, cle: str, contenu: bytes) -> str:
        """What an upload does: a new version of the key; returns its versionId."""
        version = uuid.uuid4().hex
        self.objets.setdefault(cle, []).append((version, contenu))
        return version

    def lire(
        self, cle: str, version_id: str | None = None, limite: int | None = None
    ) -> ObjetLu | None:
        versions = self.objets.get(cle)
        if not versions:
            return None
        if version_id is None:
            version, contenu = versions[-1]
        else:
            trouvees = [v for v in versions if v[0] == version_id]
            if not trouvees:
                return None
            version, contenu = trouvees[0]
        lu = contenu if limite is None else contenu[: limite + 1]
        return ObjetLu(lu, etag=f"etag-{version}", version_id=version, taille=len(contenu))

    def ecrire(self, cle: str, contenu: bytes, type_contenu: str = "application/json") -> None:
        self.deposer(cle, contenu)

    def contenu(self, cle: str) -> bytes:
        return self.objets[cle][-1][1]


class CompteurEnMemoire(Compteur):
    def __init__(self) -> None:
        self.valeurs: dict[str, int] = {}
        self._verrou = threading.Lock()

    def suivant(self, nom: str) -> int:
        return self.reserver(nom, 1)

    def reserver(self, nom: str, nombre: int) -> int:
        with self._verrou:
            self.valeurs[nom] = self.valeurs.get(nom, 0) + nombre
            return self.valeurs[nom] - nombre + 1


class FileImportEnMemoire(FileImport):
    """The import queue: what was asked (the test decides when the worker runs)."""

    def __init__(self) -> None:
        self.demandes: list[tuple[str, str]] = []

    def demander(self, id_depot: str, auteur: str) -> None:
        self.demandes.append((id_depot, auteur))


class DossiersEnMemoire(Dossiers):
    """Dossiers and claims; `avant_ecriture` runs just before a write (to let a test
    play a concurrent import that wins a claim in between)."""

    def __init__(self) -> None:
        self.dossiers: dict[str, Dossier] = {}
        self.finess: dict[tuple[str, str, str], str] = {}
        self.numeros_dossier: dict[tuple[str, str], str] = {}
        self.lignes: dict[tuple[str, int], str] = {}
        self.historiques: dict[str, list[EntreeHistorique]] = {}
        self.avant_ecriture: Callable[[], None] | None = None
        # True: report a failed FINESS claim before a failed line claim (as a database
        # that names only the first failed condition would).
        self.ligne_en_dernier = False
        self.transactions = 0
        self.lectures_par_lots = 0
        self.depots: DepotsEnMemoire | None = None  # for the lease of an import run
        self._verrou = threading.RLock()

    # reads
    def lire(self, numero_asp: str) -> Dossier | None:
        return self.dossiers.get(numero_asp)

    def lister(self, siret: str) -> list[Dossier]:
        return sorted(
            (d for d in self.dossiers.values() if d.siret == siret), key=lambda d: d.numero_asp
        )

    def historique(self, numero_asp: str) -> list[EntreeHistorique]:
        return list(self.historiques.get(numero_asp, []))

    def ligne_importee(self, reservation: ReservationLigne) -> str | None:
        return self.lignes.get((reservation.id_depot, reservation.num_ligne))

    def detenteur_finess(self, campagne_id: str, couloir: str, finess: str) -> str | None:
        return self.finess.get((campagne_id, couloir, finess))

    def numero_dossier_utilise(self, siret: str, numero_dossier: str) -> str | None:
        return self.numeros_dossier.get((siret, numero_dossier))

    def lire_plusieurs(
        self, numeros_asp: Iterable[str], resume: bool = False
    ) -> dict[str, Dossier]:
        self.lectures_par_lots += 1
        return {n: self.dossiers[n] for n in numeros_asp if n in self.dossiers}

    def detenteurs_finess(
        self, campagne_id: str, couloir: str, finess: Iterable[str]
    ) -> dict[str, str]:
        self.lectures_par_lots += 1
        return {
            f: self.finess[(campagne_id, couloir, f)]
            for f in finess
            if (campagne_id, couloir, f) in self.finess
        }

    def numeros_dossier_utilises(self, siret: str, numeros: Iterable[str]) -> dict[str, str]:
        self.lectures_par_lots += 1
        return {
            n: self.numeros_dossier[(siret, n)]
            for n in numeros
            if (siret, n) in self.numeros_dossier
        }

    def lignes_importees(self, id_depot: str) -> dict[int, str]:
        return {n: asp for (i, n), asp in self.lignes.items() if i == id_depot}

    # writes
    def _echec_commun(
        self, dossier: Dossier, nouveaux_finess: list[str], reservation: ReservationLigne
    ) -> IssueEcriture | None:
        cle_ligne = (reservation.id_depot, reservation.num_ligne)
        ligne = (
            IssueEcriture(TypeIssue.LIGNE_DEJA_IMPORTEE, numero_asp=self.lignes[cle_ligne])
            if cle_ligne in self.lignes
            else None
        )
        if ligne is not None and not self.ligne_en_dernier:
            return ligne
        for finess in nouveaux_finess:
            detenteur = self.finess.get((dossier.campagne, dossier.couloir, finess))
            if detenteur not in (None, dossier.numero_asp):
                return IssueEcriture(TypeIssue.FINESS_DEJA_DETENU, finess=finess)
        return ligne

    def _bail_perdu(self, bail: Bail | None) -> bool:
        if bail is None or self.depots is None:
            return False
        depot = self.depots.depots.get(bail.id_depot)
        encours = depot.import_en_cours if depot is not None else None
        return encours is None or encours.jeton != bail.jeton

    def creer(
        self,
        dossier: Dossier,
        reservation: ReservationLigne,
        entree: EntreeHistorique,
        bail: Bail | None = None,
    ) -> IssueEcriture:
        if self.avant_ecriture is not None:
            self.avant_ecriture()
        with self._verrou:
            self.transactions += 1
            if self._bail_perdu(bail):
                return IssueEcriture(TypeIssue.BAIL_PERDU)
            cle_ligne = (reservation.id_depot, reservation.num_ligne)
            if dossier.numero_asp in self.dossiers and cle_ligne not in self.lignes:
                return IssueEcriture(TypeIssue.DOSSIER_EXISTANT)
            echec = self._echec_commun(dossier, list(dossier.finess), reservation)
            if echec is not None:
                return echec
            if (
                self.numeros_dossier.get(
                    (dossier.siret, dossier.numero_dossier), dossier.numero_asp
                )
                != dossier.numero_asp
            ):
                return IssueEcriture(TypeIssue.NUMERO_DOSSIER_UTILISE)
            self.dossiers[dossier.numero_asp] = dossier
            for finess in dossier.finess:
                self.finess[(dossier.campagne, dossier.couloir, finess)] = dossier.numero_asp
            self.numeros_dossier[(dossier.siret, dossier.numero_dossier)] = dossier.numero_asp
            self.lignes[(reservation.id_depot, reservation.num_ligne)] = dossier.numero_asp
            self.historiques.setdefault(dossier.numero_asp, []).append(entree)
            return IssueEcriture(TypeIssue.ECRIT, numero_asp=dossier.numero_asp)

    def modifier(
        self,
        avant: Dossier,
        apres: Dossier,
        reservation: ReservationLigne,
        entree: EntreeHistorique,
        bail: Bail | None = None,
    ) -> IssueEcriture:
        if self.avant_ecriture is not None:
            self.avant_ecriture()
        with self._verrou:
            self.transactions += 1
            if self._bail_perdu(bail):
                return IssueEcriture(TypeIssue.BAIL_PERDU)
            nouveaux = [f for f in apres.finess if f not in avant.finess]
            cle_ligne = (reservation.id_depot, reservation.num_ligne)
            if cle_ligne in self.lignes:
                return IssueEcriture(
                    TypeIssue.LIGNE_DEJA_IMPORTEE, numero_asp=self.lignes[cle_ligne]
                )
            stocke = self.dossiers.get(avant.numero_asp)
            if stocke is None or stocke.version != avant.version:
                return IssueEcriture(TypeIssue.VERSION_PERIMEE)
            echec = self._echec_commun(apres, nouveaux, reservation)
            if echec is not None:
                return echec
            change_numero = apres.numero_dossier != avant.numero_dossier
            if (
                change_numero
                and self.numeros_dossier.get((apres.siret, apres.numero_dossier), apres.numero_asp)
                != apres.numero_asp
            ):
                return IssueEcriture(TypeIssue.NUMERO_DOSSIER_UTILISE)
            # Only the attributes the dépôt service owns change (statut is instruction's).
            self.dossiers[avant.numero_asp] = replace(apres, statut=stocke.statut)
            for finess in nouveaux:
                self.finess[(apres.campagne, apres.couloir, finess)] = apres.numero_asp
            for finess in avant.finess:
                if finess not in apres.finess:
                    self.finess.pop((avant.campagne, avant.couloir, finess), None)
            if change_numero:
                self.numeros_dossier.pop((avant.siret, avant.numero_dossier), None)
                self.numeros_dossier[(apres.siret, apres.numero_dossier)] = apres.numero_asp
            self.lignes[(reservation.id_depot, reservation.num_ligne)] = avant.numero_asp
            self.historiques.setdefault(avant.numero_asp, []).append(entree)
            return IssueEcriture(TypeIssue.ECRIT, numero_asp=avant.numero_asp)

    def changer_statut(self, numero_asp: str, statut: str) -> None:
        """What the instruction service does (a test helper)."""
        from shared.statuts import StatutDemande

        dossier = self.dossiers[numero_asp]
        self.dossiers[numero_asp] = replace(
            dossier, statut=StatutDemande(statut), version=dossier.version + 1
        )


# --- A stand-in for the simulation (services/depot/application/simulation.py) ---------------
# It applies a few rules only (enough to drive the platform flow): the header's SIRET, the
# guichet for C lines, the platform records (FINESS held, numeroDossier used, numeroASP of
# an M / SOLDE), and an `"_erreur": "CODE"` field that a test injects to reject a line.
# What the rules themselves decide is tested on the real simulation
# (test_plateforme_simulation_reelle.py, test_plateforme_reception.py), never on this one.


@dataclass(frozen=True)
class LigneFactice:
    num_ligne: int
    index: int
    demande: dict[str, Any]
    finess: tuple[str, ...]
    numero_dossier: str
    numero_asp: str | None
    type_action: str
    montants: dict[str, str]


@dataclass(frozen=True)
class CompteRenduFactice:
    document: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.document)


@dataclass(frozen=True)
class ResultatFactice:
    compte_rendu: CompteRenduFactice
    lignes_importables: list[LigneFactice]


def _finess(demande: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            e["finessGeo"]
            for b in demande.get("beneficiaires", [])
            for e in b.get("etablissementsClients", [])
        )
    )


@dataclass(frozen=True)
class _Connus:
    """What the registre knows of a file's demandes, asked in batches as the simulation
    does (the registre has no single lookups)."""

    detenteurs: dict[str, str]
    numeros_utilises: set[str]
    dossiers: dict[str, Dossier]

    @staticmethod
    def lire(
        demandes: list[dict[str, Any]],
        contexte: ContexteDepot,
        registre: RegistrePlateforme | None,
    ) -> _Connus | None:
        if registre is None:
            return None
        finess = {f for d in demandes for f in _finess(d)}
        numeros = {str(d.get("numeroDossier")) for d in demandes}
        numeros_asp = {str(d.get("numeroASP")) for d in demandes if d.get("numeroASP")}
        return _Connus(
            registre.detenteurs_finess(contexte.campagne.id, contexte.couloir, finess),
            registre.numeros_dossier_utilises(contexte.siret_attendu, numeros)
            if contexte.siret_attendu
            else set(),
            registre.dossiers_connus(numeros_asp),
        )


class SimulateurFactice:
    def __init__(self) -> None:
        self.appels: list[tuple[bytes, str, ContexteDepot]] = []

    def __call__(
        self,
        contenu: bytes,
        nom_fichier: str,
        contexte: ContexteDepot,
        registre: RegistrePlateforme | None,
    ) -> ResultatFactice:
        self.appels.append((contenu, nom_fichier, contexte))
        document: dict[str, Any] = {
            "fichier": nom_fichier,
            "nombreLignes": 0,
            "lignesImportables": 0,
            "lignesRejetees": 0,
            "erreursFichier": [],
            "erreursPieces": [],
            "lignes": [],
        }
        try:
            donnees = lire_json(contenu)
        except ValueError:
            donnees = None
        if not isinstance(donnees, dict) or not isinstance(donnees.get("demandes"), list):
            document["erreursFichier"].append(
                {"code": "JSON_INVALIDE", "chemin": "", "message": "Fichier illisible."}
            )
            return ResultatFactice(CompteRenduFactice(document), [])
        if contexte.siret_attendu and donnees.get("siret") != contexte.siret_attendu:
            document["erreursFichier"].append(
                {"code": "SIRET_INATTENDU", "chemin": "/siret", "message": "SIRET inattendu."}
            )
        lignes: list[LigneFactice] = []
        connus = _Connus.lire(donnees["demandes"], contexte, registre)
        for index, demande in enumerate(donnees["demandes"]):
            erreurs = self._erreurs(index, demande, contexte, connus)
            montant = Montant(demande["commande"]["montantSegur"])
            avance = montant.pourcentage(30)
            montants = {
                "montantFinance": str(montant),
                "avance": str(avance),
                "solde": str(montant - avance),
            }
            rejetee = bool(erreurs or document["erreursFichier"])
            document["lignes"].append(
                {
                    "numLigne": demande["numLigne"],
                    "statut": "REJETEE" if rejetee else "IMPORTABLE",
                    "erreurs": erreurs,
                    "avertissements": [],
                    "montants": montants,
                }
            )
            if not rejetee:
                lignes.append(
                    LigneFactice(
                        num_ligne=demande["numLigne"],
                        index=index,
                        demande=demande,
                        finess=_finess(demande),
                        numero_dossier=demande["numeroDossier"],
                        numero_asp=demande.get("numeroASP"),
                        type_action=demande["typeAction"],
                        montants=montants,
                    )
                )
        document["nombreLignes"] = len(donnees["demandes"])
        document["lignesImportables"] = len(lignes)
        document["lignesRejetees"] = document["nombreLignes"] - len(lignes)
        return ResultatFactice(CompteRenduFactice(document), lignes)

    @staticmethod
    def _erreurs(
        index: int,
        demande: dict[str, Any],
        contexte: ContexteDepot,
        connus: _Connus | None,
    ) -> list[dict[str, str]]:
        erreurs: list[dict[str, str]] = []

        def erreur(code: str, chemin: str) -> None:
            erreurs.append({"code": code, "chemin": f"/demandes/{index}{chemin}", "message": code})

        if "_erreur" in demande:
            erreur(str(demande["_erreur"]), "")
        recu_le = contexte.recu_le
        creation = demande["typeAction"] == "C"
        avance = contexte.type_demande is TypeDemande.AVANCE
        if (
            recu_le is not None
            and (creation or not avance)
            and not contexte.campagne.fenetre_ouverte(contexte.type_demande, recu_le)
        ):
            erreur("GUICHET_FERME", "/typeAction")
        if connus is None:
            return erreurs
        if creation and avance:
            for finess in _finess(demande):
                if finess in connus.detenteurs:
                    erreur("FINESS_DEJA_FINANCE", "/beneficiaires")
            if demande["numeroDossier"] in connus.numeros_utilises:
                erreur("NUMERO_DOSSIER_DEJA_UTILISE", "/numeroDossier")
        else:
            connu = connus.dossiers.get(str(demande.get("numeroASP")))
            if connu is None:
                erreur("NUMERO_ASP_INCONNU", "/numeroASP")
            elif connu.siret != contexte.siret_attendu:
                erreur("NUMERO_ASP_AUTRE_EDITEUR", "/numeroASP")
            elif avance and not connu.modifiable:
                erreur("DOSSIER_NON_MODIFIABLE", "/typeAction")
        return erreurs


def annoter_factice(
    contenu: bytes, compte_rendu: Any, id_fichier: str, simulation: bool = False
) -> bytes:
    donnees = lire_json(contenu)
    donnees["idFichier"] = id_fichier
    statuts = {ligne["numLigne"]: ligne for ligne in compte_rendu.to_dict()["lignes"]}
    for demande in donnees.get("demandes", []):
        ligne = statuts.get(demande.get("numLigne"))
        if ligne is not None:
            importable = ligne["statut"] == "IMPORTABLE"
            demande["codeTraitement"] = 0 if importable else 1
            demande["libelleTraitement"] = (
                ("Importable" if simulation else "Importée") if importable else "Rejetée"
            )
    return json_canonique(donnees).encode("utf-8")


# --- Demandes and files for the tests ---------------------------------------------------------

SIRET = "73282932000074"
SIRET_AUTRE = "44306184100047"
NUMERO_ANS = "ANS0000001"
NUMERO_ANS_AUTRE = "ANS0000002"


def demande(
    num_ligne: int = 1,
    finess: tuple[str, ...] = ("750712184",),
    numero_dossier: str | None = None,
    type_action: str = "C",
    numero_asp: str | None = None,
    montant: str = "18750.00",
    **extra: Any,
) -> dict[str, Any]:
    nd = numero_dossier or f"D{num_ligne:05d}"
    return {
        "numLigne": num_ligne,
        "typeAction": type_action,
        "numeroASP": numero_asp,
        "numeroDossier": nd,
        "verrouillage": "1.0",
        "codeTraitement": None,
        "libelleTraitement": None,
        "commande": {
            "dateCommande": "15/01/2024",
            "regimeTVA": "TTC",
            "montantSegur": Decimal(montant),
        },
        "beneficiaires": [
            {
                "mandataire": False,
                "etablissementsClients": [
                    {
                        "finessGeo": f,
                        "nomResponsable": "Dupont",
                        "emailResponsable": "r@example.fr",
                        "telephoneResponsable": "0102030405",
                    }
                    for f in finess
                ],
            }
        ],
        "piecesJustificatives": [
            {
                "nomFichier": f"MS1_bon-BDC-{nd}.pdf",
                "formatFichier": "PDF",
                "typeFichier": "BON_COMMANDE",
            }
        ],
        "scenarioInstallation": [],
        **extra,
    }


def fichier(*demandes: dict[str, Any], siret: str = SIRET, numero_ans: str = NUMERO_ANS) -> bytes:
    return json_canonique(
        {"idFichier": None, "numeroAns": numero_ans, "siret": siret, "demandes": list(demandes)}
    ).encode("utf-8")
