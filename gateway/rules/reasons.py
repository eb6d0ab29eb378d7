"""Reason codes, and every sentence the gateway says to a sender, in French and English.

A code is stable (it is stored, sent to partners and filtered on); the message is for
people and names the line, the column, the value and what was expected. The other
sentences a partner reads — where a line is, what is wrong with a barcode, why a file
could not be read, what a replacement changed — live here too, so that one file holds
everything a translator would have to look at.
"""

from __future__ import annotations

from enum import StrEnum

from parsers import gtin
from parsers.document import IssueCode, OrderLine


class ReasonCode(StrEnum):
    # Found by the parser in the line itself (same values as parsers.document.IssueCode)
    INVALID_QUANTITY = IssueCode.INVALID_QUANTITY.value
    MISSING_QUANTITY = IssueCode.MISSING_QUANTITY.value
    INVALID_DATE = IssueCode.INVALID_DATE.value
    MISSING_PRODUCT_ID = IssueCode.MISSING_PRODUCT_ID.value
    INVALID_VALUE = IssueCode.INVALID_VALUE.value
    # Resolution
    INVALID_BARCODE = "invalid_barcode"
    UNKNOWN_BARCODE = "unknown_barcode"
    UNKNOWN_SKU = "unknown_sku"
    UNKNOWN_CUSTOMER_REF = "unknown_customer_ref"
    UNKNOWN_PRODUCT = "unknown_product"
    AMBIGUOUS_NAME = "ambiguous_name"
    IDENTIFIER_CONFLICT = "identifier_conflict"
    # Checks
    PRODUCT_INACTIVE = "product_inactive"
    NOT_IN_ASSORTMENT = "not_in_assortment"
    NON_POSITIVE_QUANTITY = "non_positive_quantity"
    FRACTIONAL_QUANTITY = "fractional_quantity"
    NOT_A_MULTIPLE = "not_a_multiple"
    ROUNDED_TO_MULTIPLE = "rounded_to_multiple"
    # Whole order
    UNKNOWN_CUSTOMER = "unknown_customer"
    UNKNOWN_SITE = "unknown_site"
    NO_CUSTOMER = "no_customer"
    NO_SITE = "no_site"
    NOT_GRANTED = "not_granted"
    DUPLICATE_ORDER = "duplicate_order"
    NO_USABLE_LINE = "no_usable_line"
    NO_LINES = "no_lines"
    SENDER_NOT_ALLOWED = "sender_not_allowed"
    # The buyer's changes
    UNKNOWN_ORDER = "unknown_order"
    CHANGE_TOO_LATE = "change_too_late"
    UNKNOWN_LINE = "unknown_line"
    LINE_DELETED = "line_deleted"


_TEMPLATES: dict[ReasonCode, tuple[str, str]] = {
    # (english, french)
    ReasonCode.INVALID_QUANTITY: (
        "{where}: quantity {value!r} is not a number (expected e.g. 12 or 12,5)",
        "{where} : la quantité {value!r} n'est pas un nombre (attendu p. ex. 12 ou 12,5)",
    ),
    ReasonCode.MISSING_QUANTITY: (
        "{where}: no quantity given",
        "{where} : aucune quantité indiquée",
    ),
    ReasonCode.INVALID_DATE: ("{where}: {detail}", "{where} : {detail}"),
    ReasonCode.INVALID_VALUE: ("{where}: {detail}", "{where} : {detail}"),
    ReasonCode.MISSING_PRODUCT_ID: (
        "{where}: no barcode, reference or name to identify the product",
        "{where} : ni code-barre, ni référence, ni désignation pour identifier le produit",
    ),
    ReasonCode.INVALID_BARCODE: (
        "{where}: barcode {value!r} is not a valid GTIN ({detail})",
        "{where} : le code-barre {value!r} n'est pas un GTIN valide ({detail})",
    ),
    ReasonCode.UNKNOWN_BARCODE: (
        "{where}: barcode {value!r} is not in the catalog{nearest}",
        "{where} : le code-barre {value!r} est inconnu du catalogue{nearest}",
    ),
    ReasonCode.UNKNOWN_SKU: (
        "{where}: reference {value!r} is not in the catalog{nearest}",
        "{where} : la référence {value!r} est inconnue du catalogue{nearest}",
    ),
    ReasonCode.UNKNOWN_CUSTOMER_REF: (
        "{where}: your reference {value!r} is not mapped to a product{nearest}",
        "{where} : votre référence {value!r} n'est associée à aucun produit{nearest}",
    ),
    ReasonCode.UNKNOWN_PRODUCT: (
        "{where}: no product named {value!r}{nearest}",
        "{where} : aucun produit ne correspond à {value!r}{nearest}",
    ),
    ReasonCode.AMBIGUOUS_NAME: (
        "{where}: {value!r} matches several products; give a barcode or reference{nearest}",
        "{where} : {value!r} correspond à plusieurs produits ; "
        "indiquez un code-barre ou une référence{nearest}",
    ),
    ReasonCode.IDENTIFIER_CONFLICT: (
        "{where}: {detail}",
        "{where} : {detail}",
    ),
    ReasonCode.PRODUCT_INACTIVE: (
        "{where}: product {sku} ({name}) is no longer sold",
        "{where} : le produit {sku} ({name}) n'est plus commercialisé",
    ),
    ReasonCode.NOT_IN_ASSORTMENT: (
        "{where}: product {sku} ({name}) is not in the assortment of customer {customer}",
        "{where} : le produit {sku} ({name}) n'est pas dans l'assortiment du client {customer}",
    ),
    ReasonCode.NON_POSITIVE_QUANTITY: (
        "{where}: quantity {value} must be greater than zero",
        "{where} : la quantité {value} doit être supérieure à zéro",
    ),
    ReasonCode.FRACTIONAL_QUANTITY: (
        "{where}: quantity {value} must be a whole number of {unit}",
        "{where} : la quantité {value} doit être un nombre entier de {unit}",
    ),
    ReasonCode.NOT_A_MULTIPLE: (
        "{where}: quantity {value} of {sku} is not a multiple of {multiple} (expected e.g. {next})",
        "{where} : la quantité {value} de {sku} n'est pas un multiple de {multiple} "
        "(attendu p. ex. {next})",
    ),
    ReasonCode.ROUNDED_TO_MULTIPLE: (
        "{where}: quantity {value} of {sku} rounded up to {next} (sold by {multiple})",
        "{where} : quantité {value} de {sku} arrondie à {next} (vendu par {multiple})",
    ),
    ReasonCode.UNKNOWN_CUSTOMER: (
        "customer {value!r} is unknown (expected a customer code or GLN)",
        "client {value!r} inconnu (attendu un code client ou un GLN)",
    ),
    ReasonCode.UNKNOWN_SITE: (
        "site {value!r} is unknown (expected a site code or GLN)",
        "site {value!r} inconnu (attendu un code site ou un GLN)",
    ),
    ReasonCode.NO_CUSTOMER: (
        "the order names no customer and partner {partner} has no default customer",
        "la commande n'indique aucun client et le partenaire {partner} n'a pas de client "
        "par défaut",
    ),
    ReasonCode.NO_SITE: (
        "the order names no site and partner {partner} has no default site for customer {customer}",
        "la commande n'indique aucun site et le partenaire {partner} n'a pas de site par "
        "défaut pour le client {customer}",
    ),
    ReasonCode.NOT_GRANTED: (
        "partner {partner} may not order for customer {customer}{at_site}",
        "le partenaire {partner} n'est pas autorisé à commander pour le client {customer}"
        "{sur_site}",
    ),
    ReasonCode.DUPLICATE_ORDER: (
        "order {value!r} was already received on {date} ({status}){note}",
        "la commande {value!r} a déjà été reçue le {date} ({status}){note}",
    ),
    ReasonCode.NO_USABLE_LINE: (
        "no line of the order could be accepted",
        "aucune ligne de la commande n'a pu être acceptée",
    ),
    ReasonCode.NO_LINES: ("the order has no lines", "la commande ne contient aucune ligne"),
    ReasonCode.SENDER_NOT_ALLOWED: ("{detail}", "{detail}"),
    ReasonCode.UNKNOWN_ORDER: (
        "there is no open order {value!r} of yours to change",
        "aucune commande {value!r} en cours ne peut être modifiée",
    ),
    ReasonCode.CHANGE_TOO_LATE: (
        "order {value!r} is already {status}: the change was not applied",
        "la commande {value!r} est déjà au statut {status} : la modification n'a pas été appliquée",
    ),
    ReasonCode.UNKNOWN_LINE: (
        "{where}: order {value!r} has no line {line}; nothing was changed",
        "{where} : la commande {value!r} n'a pas de ligne {line} ; rien n'a été modifié",
    ),
    ReasonCode.LINE_DELETED: (
        "line deleted at your request",
        "ligne supprimée à votre demande",
    ),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def reason_message(code: ReasonCode, language: str = "en", **fields: object) -> str:
    """The human message for ``code`` in ``language`` ('en' or 'fr')."""
    en, fr = _TEMPLATES[code]
    template = fr if language == "fr" else en
    text = template.format_map(_Blank(fields))
    return text.removeprefix(": ").removeprefix(" : ")


def nearest_text(names: list[str], language: str = "en") -> str:
    if not names:
        return ""
    lead = " ; produits proches : " if language == "fr" else "; nearest products: "
    return lead + ", ".join(names)


def where(line: OrderLine, language: str = "en") -> str:
    """Where the line is in the file, as the sender would look for it."""
    loc = line.location
    fr = language == "fr"
    parts = []
    if loc.sheet:
        parts.append(f"{'feuille' if fr else 'sheet'} {loc.sheet!r}")
    if loc.line is not None:
        if loc.segment:
            # Counted from the message's UNH / ST, as the sender's translator counts
            position = loc.in_message if loc.in_message is not None else loc.line
            parts.append(f"segment {position} ({loc.segment})")
        else:
            parts.append(f"{'ligne' if fr else 'line'} {loc.line}")
    else:
        parts.append(f"{'ligne de commande' if fr else 'order line'} {line.line_no}")
    return ", ".join(parts)


def barcode_problem(barcode: str, language: str = "en") -> str:
    """What is wrong with an invalid barcode, in words for ``language``.

    >>> barcode_problem("4006381333932", "fr")
    'le chiffre de contrôle devrait être 1, pas 2'
    """
    fr = language == "fr"
    try:
        gtin.validate(barcode)
    except gtin.InvalidChecksum as exc:
        if fr:
            return f"le chiffre de contrôle devrait être {exc.expected}, pas {exc.found}"
        return f"the check digit should be {exc.expected}, not {exc.found}"
    except gtin.InvalidLength as exc:
        if fr:
            return f"un GTIN a 8, 12, 13 ou 14 chiffres, pas {exc.found}"
        return f"a GTIN has 8, 12, 13 or 14 digits, not {exc.found}"
    except gtin.GtinError:
        return "un GTIN ne contient que des chiffres" if fr else "a GTIN has only digits"
    return ""


#: (english, french) sentences that are not a reason code's message
_SENTENCES: dict[str, tuple[str, str]] = {
    "file_error": (
        "The file {name} could not be processed.\nReason: {reason}\n"
        "Correct the file and drop it again.\n",
        "Le fichier {name} n'a pas pu être traité.\nMotif : {reason}\n"
        "Corrigez le fichier et déposez-le à nouveau.\n",
    ),
    "duplicate_file": (
        "The file {name} has the same content as your file {earlier}, received on {date} "
        "and already processed: {result}.\nIt was not processed a second time.\n",
        "Le fichier {name} a le même contenu que votre fichier {earlier}, reçu le {date} "
        "et déjà traité : {result}.\nIl n'a pas été traité une seconde fois.\n",
    ),
    "file_result": (
        "{orders} order(s), {accepted} line(s) accepted, {rejected} refused",
        "{orders} commande(s), {accepted} ligne(s) acceptée(s), {rejected} refusée(s)",
    ),
    "duplicate_refused": (
        ": it is not taken a second time; to change it, send a new order under another "
        "number or contact us",
        " : elle n'est pas reprise une seconde fois ; pour la modifier, envoyez une nouvelle "
        "commande sous un autre numéro ou contactez-nous",
    ),
    "duplicate_too_late": (
        ": it can no longer be changed; for anything more, send a new order under another "
        "number",
        " : elle ne peut plus être modifiée ; pour tout complément, envoyez une nouvelle "
        "commande sous un autre numéro",
    ),
    "line_amended_added": ("line added by {file}", "ligne ajoutée par {file}"),
    "line_amended_changed": (
        "quantity {before} → {after} ({file})",
        "quantité {before} → {after} ({file})",
    ),
    "line_amended_revived": ("line taken up again ({file})", "ligne reprise ({file})"),
    "amended": ("amended by {file}: {changes}", "complétée par {file} : {changes}"),
    "replaces": (
        "replaces order #{order}: {changes}",
        "remplace la commande n°{order} : {changes}",
    ),
    "replaced_added": ("added {product} ({quantity})", "ajout {product} ({quantity})"),
    "replaced_removed": ("removed {product} ({quantity})", "retrait {product} ({quantity})"),
    "replaced_quantity": ("{product}: {before} → {after}", "{product} : {before} → {after}"),
    "replaced_unchanged": ("lines unchanged", "lignes inchangées"),
    "line_added": (
        "line added (replaces order #{order})",
        "ligne ajoutée (remplace la commande n°{order})",
    ),
    "line_quantity_changed": (
        "quantity {before} → {after} (replaces order #{order})",
        "quantité {before} → {after} (remplace la commande n°{order})",
    ),
    "confirmed_changed": (
        "confirmed quantity changed by the supplier: {before} → {after}",
        "quantité confirmée modifiée par le fournisseur : {before} → {after}",
    ),
    "changed_by_buyer": (
        "changed by the buyer ({change})",
        "modifiée par l'acheteur ({change})",
    ),
    "line_changed": (
        "quantity {before} → {after} at your request",
        "quantité {before} → {after} à votre demande",
    ),
    "line_added_by_buyer": ("line added at your request", "ligne ajoutée à votre demande"),
    "upload_too_large": (
        "The file is over your size limit of {limit} bytes; it was not received. Split it "
        "into smaller files, or contact us.",
        "Le fichier dépasse votre limite de {limit} octets ; il n'a pas été reçu. "
        "Découpez-le en fichiers plus petits, ou contactez-nous.",
    ),
    "upload_later": (
        "The file {name} was received and will be processed in a moment; its result will "
        "appear in your files.",
        "Le fichier {name} a été reçu et sera traité dans un instant ; son résultat "
        "apparaîtra dans vos fichiers.",
    ),
    "lines_summary": (
        "{accepted} line(s) accepted, {rejected} rejected",
        "{accepted} ligne(s) acceptée(s), {rejected} refusée(s)",
    ),
}  # fmt: skip


def sentence(key: str, language: str = "en", **fields: object) -> str:
    """One of the sentences above, in ``language``, with its fields filled in."""
    en, fr = _SENTENCES[key]
    return (fr if language == "fr" else en).format_map(_Blank(fields))


def file_error_text(name: str, reason: str, language: str = "en") -> str:
    """The notice a partner receives when its file could not be read."""
    return sentence("file_error", language, name=name, reason=reason)


__all__ = [
    "ReasonCode",
    "barcode_problem",
    "file_error_text",
    "nearest_text",
    "reason_message",
    "sentence",
    "where",
]
