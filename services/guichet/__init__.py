"""Le guichet (G1, G2, rappels): l'état des fenêtres des campagnes, leur fermeture aux
échéances et les courriels de rappel et de fermeture.

Il lit les dépôts et les dossiers que le service dépôt écrit, et les enrôlements, à travers
leurs contrats de `shared/` (`shared.depot`, `shared.dossier`, `shared.contrats`); la règle
de la fenêtre, que le dépôt applique aussi à chaque fichier reçu, est `shared.guichet`."""
