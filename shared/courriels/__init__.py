"""Courriels of the platform, shared by every service (no copy per service).

- `contrat`: what a courriel is (`Avis` → `Contenu` → `Courriel`), the ports (`Redaction`,
  `Expediteur`, `Reservations`, `JournalCourriels`, `EnvoiUnique`), the claim key
  (`CleEnvoi`) and the journal record (`CourrielEnvoye`, its item writer and reader).
- `envoi`: `Courrier.envoyer_une_fois`, the use case: render, claim, send, record.
- `dossier`, `enrolment`: typed data → `Avis` for each courriel of a dossier (instruction,
  paiement) and of an enrolment; `guichet` templates are built by the dépôt's domain.
- adapters: `redaction` (Jinja2, templates in `modeles/`), `ses` (SES v2), `dynamodb`
  (claims and journal), `memoire` (in-memory, for tests and offline runs), `composition`.

Pure modules (`contrat`, `envoi`, `dossier`, `enrolment`) import neither boto3 nor jinja2:
a service's application layer may import them. This package imports nothing itself.
"""
