"""The guichet (G1, G2, reminders): the state of the campaigns' windows, their closing at
the deadlines, and the reminder and closing courriels.

It reads the dépôts and dossiers the dépôt service writes, and the enrolments, through
their contracts in `shared/` (`shared.depot`, `shared.dossier`, `shared.contrats`); the
window's rule, which the dépôt also applies to each file received, is `shared.guichet`."""
