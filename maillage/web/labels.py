"""User-facing messages of the web app (layout, operations commands), in French."""

ERR_BACKUP_ENGINE = (
    "Sauvegarde impossible : moteur de base de données non pris en charge ({engine})."
)
ERR_BACKUP_MISSING = "Fichier de sauvegarde introuvable : {path}"
ERR_BACKUP_FORMAT = (
    "{path} n'est pas une sauvegarde de ce type de base ({engine}) : une sauvegarde PostgreSQL "
    "se restaure dans PostgreSQL, une sauvegarde SQLite dans SQLite."
)
ERR_RESTORE_NOT_EMPTY = (
    "La base de destination contient déjà des tables : restaurez dans une base vide, ou "
    "ajoutez --remplacer pour écraser son contenu."
)
ERR_BACKUP_TOOL = (
    "Outil {tool} introuvable : installez le client PostgreSQL (paquet postgresql-client), "
    "de la même version majeure que le serveur ou plus récent."
)
ERR_BACKUP_FAILED = "{tool} a échoué : {error}"
MSG_BACKUP_DONE = "Sauvegarde écrite : {path} ({size} octets)."
MSG_RESTORE_DONE = "Base restaurée depuis {path}."
