"""The console's words, in English and French: labels, the words for statuses and
outcomes, and the console's own messages. Each user reads the console in its language
(the login page: the browser's).

What a partner is told about its orders (reason messages, refusals) is not here: it
comes, already in the partner's language, from :mod:`gateway.rules.reasons`.
"""

from __future__ import annotations

#: key → (english, french)
LABELS: dict[str, tuple[str, str]] = {
    "abandoned": ("abandoned", "abandonnés"),
    "about": ("About", "Concerne"),
    "acknowledgment": ("Partner's acknowledgment", "Accusé du partenaire"),
    "actions": ("Actions", "Actions"),
    "actor": ("By", "Par"),
    "add": ("Add", "Ajouter"),
    "add_to_assortment": ("Add {sku} to the assortment of {customer}",
                          "Ajouter {sku} à l'assortiment de {customer}"),
    "admins": ("admins", "admins"),
    "after": ("After", "Après"),
    "all_of_reason": ("All lines of this reason", "Toutes les lignes de ce motif"),
    "allow_more": ("Accept more than ordered (validate) or confirmed (ship)",
                   "Accepter plus que commandé (validation) ou confirmé (expédition)"),
    "any": ("any", "tous"),
    "apply_replay": ("Apply this replay", "Appliquer ce rejeu"),
    "as_written": ("As written", "Tel qu'écrit"),
    "assortment_added": ("{sku} added to the assortment of {customer}",
                         "{sku} ajouté à l'assortiment de {customer}"),
    "at": ("When", "Quand"),
    "attempts": ("Attempts and duplicates", "Tentatives et doublons"),
    "auto_validate": ("Validated automatically", "Validation automatique"),
    "back": ("Back", "Retour"),
    "barcode_sku_name": ("barcode, reference or name", "code-barre, référence ou désignation"),
    "before": ("Before", "Avant"),
    "by": ("By", "Par"),
    "cancel_back": ("Do not apply; go back", "Ne pas appliquer ; revenir"),
    "change": ("Change", "Changement"),
    "channel": ("Channel", "Canal"),
    "confirmed": ("Confirmed", "Confirmée"),
    "confirmed_quantity": ("Confirmed quantity", "Quantité confirmée"),
    "customer": ("Customer", "Client"),
    "dashboard": ("Dashboard", "Tableau de bord"),
    "deadline": ("Answer due", "Réponse due"),
    "delivery_date": ("Delivery date", "Date de livraison"),
    "details": ("Details", "Détails"),
    "download_original": ("Download the original", "Télécharger l'original"),
    "dry_run_nothing_changed": ("Dry run — nothing changed yet.",
                                "Simulation — rien n'a encore changé."),
    "duplicates_only": ("Duplicates only", "Doublons seulement"),
    "edi_ids": ("EDI ids", "Identifiants EDI"),
    "error_400": ("Not done", "Non effectué"),
    "error_403": ("Not allowed", "Non autorisé"),
    "error_404": ("Not found", "Introuvable"),
    "error_404_text": ("There is no such page, or it is not yours to see.",
                       "Cette page n'existe pas, ou elle ne vous est pas accessible."),
    "error_413": ("Too large", "Trop volumineux"),
    "error_other": ("Something went wrong", "Une erreur est survenue"),
    "failed_only": ("Failed only", "En échec seulement"),
    "failed_today": ("Failed today", "En échec aujourd'hui"),
    "file": ("File", "Fichier"),
    "files": ("Files", "Fichiers"),
    "filter": ("Filter", "Filtrer"),
    "find_product": ("Find a product", "Chercher un produit"),
    "fix": ("Fix", "Correction"),
    "for_whom": ("For", "Pour"),
    "forgotten": ("Forgotten: {written} → {sku}", "Oublié : {written} → {sku}"),
    "format": ("Format", "Format"),
    "grant_added": ("Partner {partner} may now order for {customer} at {site}; replay to take "
                    "the order", "Le partenaire {partner} peut désormais commander pour "
                    "{customer} sur {site} ; rejouez pour reprendre la commande"),
    "grant_and_preview": ("Grant, then preview the replay", "Autoriser, puis simuler le rejeu"),
    "grants": ("Grants", "Autorisations"),
    "history": ("History", "Historique"),
    "home": ("Home", "Accueil"),
    "identifier": ("Barcode / reference / name", "Code-barre / référence / désignation"),
    "in_progress": ("In progress", "En cours"),
    "inactive": ("inactive", "inactif"),
    "kind": ("Kind", "Type"),
    "language": ("Language", "Langue"),
    "last_error": ("Last error", "Dernière erreur"),
    "learned": ("Learned: {written} → {sku} {name}", "Appris : {written} → {sku} {name}"),
    "line": ("Line", "Ligne"),
    "lines": ("Lines", "Lignes"),
    "lines_waiting": ("line(s) waiting", "ligne(s) en attente"),
    "login_held": ("Too many wrong passwords: try again in {seconds} s.",
                   "Trop de mots de passe erronés : réessayez dans {seconds} s."),
    "login_wrong": ("Wrong user name or password.", "Nom d'utilisateur ou mot de passe erroné."),
    "map_and_preview": ("Map, then preview the replay", "Associer, puis simuler le rejeu"),
    "mapping": ("Mapping profile", "Profil de correspondance"),
    "matched_by": ("Matched by", "Reconnu par"),
    "max_file_size": ("Largest file (bytes)", "Fichier maximal (octets)"),
    "menu": ("Menu", "Menu"),
    "message": ("Message", "Message"),
    "messages": ("Outgoing", "Envois"),
    "missing": ("missing", "absent"),
    "more_than_confirmed": (
        "Line {line}: {asked} would be shipped, {limit} confirmed. To ship more than was "
        "confirmed, tick “{box}”.",
        "Ligne {line} : {asked} seraient expédiés, {limit} confirmés. Pour expédier plus que "
        "confirmé, cochez « {box} ».",
    ),
    "more_than_ordered": (
        "Line {line}: {asked} asked, {limit} ordered. To confirm more than was ordered, "
        "tick “{box}”.",
        "Ligne {line} : {asked} demandés, {limit} commandés. Pour confirmer plus que "
        "commandé, cochez « {box} ».",
    ),
    "moved": ("Order #{order}: {before} → {after}", "Commande n°{order} : {before} → {after}"),
    "my_files": ("My files", "Mes fichiers"),
    "my_orders": ("My orders", "Mes commandes"),
    "new_order": ("New order", "Nouvelle commande"),
    "no": ("no", "non"),
    "no_files": ("No file.", "Aucun fichier."),
    "no_orders": ("No order.", "Aucune commande."),
    "no_rejections": ("No rejected line is waiting.", "Aucune ligne refusée en attente."),
    "no_replies": ("No reply.", "Aucune réponse."),
    "no_xrefs": ("No learned cross-reference yet.", "Aucune correspondance apprise."),
    "not_yet": ("not yet", "pas encore"),
    "nothing_found": ("No product found.", "Aucun produit trouvé."),
    "older": ("Older", "Plus anciens"),
    "order": ("Order", "Commande"),
    "order_date": ("Order date", "Date de commande"),
    "order_file": ("Order file (CSV, XLSX, EDI)", "Fichier de commande (CSV, XLSX, EDI)"),
    "order_number": ("Order number", "N° de commande"),
    "ordered": ("Ordered", "Commandée"),
    "orders": ("Orders", "Commandes"),
    "original": ("Original", "Original"),
    "outcome": ("Outcome", "Résultat"),
    "overdue_only": ("Overdue only", "En retard seulement"),
    "overdue_orders": ("Overdue orders", "Commandes en retard"),
    "owner": ("Customer or partner", "Client ou partenaire"),
    "partner": ("Partner", "Partenaire"),
    "partners": ("Partners", "Partenaires"),
    "partners_from_config": ("As configured in gateway.toml, with the grants imported.",
                             "Tels que configurés dans gateway.toml, avec les autorisations "
                             "importées."),
    "password": ("Password", "Mot de passe"),
    "password_set": ("New password for {name}; its sessions are ended.",
                     "Nouveau mot de passe pour {name} ; ses sessions sont fermées."),
    "processed_today": ("Processed today", "Traités aujourd'hui"),
    "product": ("Product", "Produit"),
    "quantity": ("Quantity", "Quantité"),
    "reason": ("Reason", "Motif"),
    "received": ("Received", "Reçue"),
    "rejected_lines": ("Refused lines", "Lignes refusées"),
    "rejections": ("Rejections", "Refus"),
    "rejections_waiting": ("Rejections waiting", "Refus en attente"),
    "remove": ("Remove", "Supprimer"),
    "replay": ("Replay", "Rejouer"),
    "replay_done": ("Replay", "Rejeu"),
    "replay_of": ("Replay of", "Rejeu de"),
    "replay_preview": ("Replay preview", "Simulation du rejeu"),
    "replays": ("Replays", "Rejeux"),
    "replies": ("Replies", "Réponses"),
    "replies_written": ("Replies written", "Réponses écrites"),
    "reply_formats": ("Reply formats", "Formats de réponse"),
    "resend": ("Resend", "Renvoyer"),
    "resend_waiting": ("{file} is still waiting unread in the outbox of {partner}.",
                       "{file} attend toujours, non lu, dans la boîte d'envoi de {partner}."),
    "resent": ("{file} sent again to {partner}.", "{file} renvoyé à {partner}."),
    "role": ("Role", "Rôle"),
    "row": ("row", "ligne"),
    "save": ("Save", "Enregistrer"),
    "search": ("Search", "Chercher"),
    "send_file": ("Send the file", "Envoyer le fichier"),
    "sent": ("Sent", "Envoyé"),
    "set_password": ("Set password", "Changer le mot de passe"),
    "shipped": ("Shipped", "Expédiée"),
    "shipped_quantity": ("Shipped quantity", "Quantité expédiée"),
    "sign_in": ("Sign in", "Connexion"),
    "sign_out": ("Sign out", "Déconnexion"),
    "since": ("Since", "Depuis"),
    "site": ("Site", "Site"),
    "sku": ("SKU", "Référence"),
    "source_file": ("Source file", "Fichier reçu"),
    "status": ("Status", "Statut"),
    "to": ("To", "À"),
    "today_since_midnight": ("Today: since local midnight.", "Aujourd'hui : depuis minuit."),
    "truncated": ("first rows only", "premières lignes seulement"),
    "unsent_replies": ("Unsent replies", "Réponses non envoyées"),
    "upload": ("Upload", "Envoi"),
    "upload_hint": ("It is processed at once, like a file in your inbox.",
                    "Il est traité aussitôt, comme un fichier déposé dans votre dossier."),
    "upload_no_file": ("Choose a file to send.", "Choisissez un fichier à envoyer."),
    "uploaded": ("uploaded", "déposé"),
    "user_added": ("User {name} added ({role}).", "Utilisateur {name} ajouté ({role})."),
    "user_name": ("User name", "Nom d'utilisateur"),
    "user_removed": ("User {name} removed.", "Utilisateur {name} supprimé."),
    "users": ("Users", "Utilisateurs"),
    "verb_cancel": ("Cancel", "Annuler"),
    "verb_deliver": ("Mark delivered", "Marquer livrée"),
    "verb_prepare": ("Mark in preparation", "Marquer en préparation"),
    "verb_reject": ("Reject", "Refuser"),
    "verb_ship": ("Ship…", "Expédier…"),
    "verb_validate": ("Validate…", "Valider…"),
    "waiting": ("Waiting", "En attente"),
    "what": ("What", "Quoi"),
    "xrefs": ("Cross-references", "Correspondances"),
    "yes": ("yes", "oui"),
}  # fmt: skip

#: Values the gateway stores (statuses, outcomes, kinds…) → (english, french)
WORDS: dict[str, tuple[str, str]] = {
    "received": ("received", "reçue"),
    "pending_validation": ("pending validation", "en attente de validation"),
    "validated": ("validated", "validée"),
    "in_preparation": ("in preparation", "en préparation"),
    "shipped": ("shipped", "expédiée"),
    "delivered": ("delivered", "livrée"),
    "rejected": ("rejected", "refusée"),
    "cancelled": ("cancelled", "annulée"),
    "accepted": ("accepted", "acceptée"),
    "adjusted": ("adjusted", "ajustée"),
    "overdue": ("overdue", "en retard"),
    "processed": ("processed", "traité"),
    "failed": ("failed", "en échec"),
    "duplicate": ("duplicate", "doublon"),
    "deferred": ("deferred", "différé"),
    "admin": ("admin", "administrateur"),
    "operator": ("operator", "opérateur"),
    "viewer": ("viewer", "lecteur"),
    "partner": ("partner", "partenaire"),
    "customer": ("this customer", "ce client"),
    "everyone": ("everyone", "tout le monde"),
    "barcode": ("barcode", "code-barre"),
    "sku": ("reference", "référence"),
    "reference": ("reference", "référence"),
    "customer_ref": ("customer's reference", "référence client"),
    "name": ("name", "désignation"),
    "learned": ("learned", "appris"),
    "status": ("status", "statut"),
    "replayed": ("replayed", "rejouée"),
    "amended": ("amended", "complétée"),
    "original": ("original", "original"),
    "amendment": ("follow-up", "complément"),
    "replay": ("replay", "rejeu"),
    "added": ("added", "ajoutée"),
    "changed": ("changed", "modifiée"),
    "unchanged": ("unchanged", "inchangée"),
    "revived": ("taken up again", "reprise"),
    "removed": ("removed", "retirée"),
    "new_attempt": ("new attempt", "nouvelle tentative"),
    "refused": ("refused", "refusé"),
    "ack": ("acknowledgement", "accusé de réception"),
    "file_error": ("error notice", "avis d'erreur"),
    "duplicate_notice": ("duplicate notice", "avis de doublon"),
    "rejection_report": ("rejection report", "rapport de refus"),
    "status_report": ("status report", "suivi de statut"),
    "digest": ("daily digest", "récapitulatif quotidien"),
    "feed_result": ("ERP feed result", "résultat du flux ERP"),
    "accepted with errors": ("accepted with errors", "accepté avec erreurs"),
    "partially accepted": ("partially accepted", "partiellement accepté"),
    "by_partner": ("you", "vous"),
    "by_supplier": ("the supplier", "le fournisseur"),
    "by_gateway": ("the gateway", "la passerelle"),
}  # fmt: skip


def language_of(accept_language: str | None) -> str:
    """``fr`` or ``en``, from a browser's Accept-Language (its first of the two).

    >>> language_of("fr-FR,fr;q=0.9,en;q=0.8"), language_of("de, en-GB"), language_of(None)
    ('fr', 'en', 'en')
    """
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in ("fr", "en"):
            return tag
    return "en"


class Translator:
    """``t("key", **fields)`` for a label, ``t.word(value)`` for a stored value."""

    def __init__(self, language: str) -> None:
        self.language = "fr" if language == "fr" else "en"
        self._i = 1 if self.language == "fr" else 0

    def __call__(self, key: str, **fields: object) -> str:
        return LABELS[key][self._i].format(**fields) if fields else LABELS[key][self._i]

    def word(self, value: str | None) -> str:
        """A stored value in words; one the console does not know yet stays readable."""
        if value is None:
            return ""
        known = WORDS.get(value)
        return known[self._i] if known else value.replace("_", " ")


__all__ = ["LABELS", "WORDS", "Translator", "language_of"]
