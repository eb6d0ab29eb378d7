"""Reason codes, and every sentence the gateway says to a sender, in French and English.

A code is stable (it is stored, sent to partners and filtered on); the message is for
people and names the line, the column, the value and what was expected. The other
sentences a partner reads — where a line is, what is wrong with a barcode, why a file
could not be read, what a replacement changed — live here too, so that one file holds
everything a translator would have to look at.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from parsers import gtin
from parsers.document import IssueCode, Location, OrderLine, Skipped
from parsers.errors import ParseError


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
    ReasonCode.INVALID_DATE: (
        "{where}: {value!r} in column {column!r} is not a date (expected e.g. 31/12/2026)",
        "{where} : {value!r} (colonne {column!r}) n'est pas une date (attendu p. ex. 31/12/2026)",
    ),
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
        "{where}: {column} {value!r} is {first} but {other_column} {other_value!r} is {other}; "
        "which one was meant?",
        "{where} : {column} {value!r} désigne {first} mais {other_column} {other_value!r} "
        "désigne {other} ; lequel vouliez-vous ?",
    ),
    ReasonCode.PRODUCT_INACTIVE: (
        "{where}: product {sku} ({name}) is no longer sold",
        "{where} : le produit {sku} ({name}) n'est plus commercialisé",
    ),
    ReasonCode.NOT_IN_ASSORTMENT: (
        "{where}: product {sku} ({name}) is not available to {customer}",
        "{where} : le produit {sku} ({name}) n'est pas disponible pour {customer}",
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
        "the order does not say which customer it is for",
        "la commande n'indique pas pour quel client elle est passée",
    ),
    ReasonCode.NO_SITE: (
        "the order does not say where {customer} wants it delivered",
        "la commande n'indique pas où {customer} souhaite être livré",
    ),
    ReasonCode.NOT_GRANTED: (
        "this account may not order for {customer}{at_site}",
        "ce compte n'est pas autorisé à commander pour {customer}{sur_site}",
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
    """The human message for ``code`` in ``language`` ('en' or 'fr').

    A ``detail_key`` field names which problem of its code it is (``scientific_barcode``,
    ``too_large_quantity``…): its detail is then worded here, in ``language``, instead of
    a ``detail`` given as text.
    """
    en, fr = _TEMPLATES[code]
    template = fr if language == "fr" else en
    detail_key = fields.pop("detail_key", None)
    if isinstance(detail_key, str) and detail_key in _DETAILS:
        fields["detail"] = _say(_DETAILS, detail_key, language, fields)
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
    if loc.line is not None:
        return place(
            Location(
                line=loc.line, sheet=loc.sheet, segment=loc.segment, in_message=loc.in_message
            ),
            language,
        )
    number = f"{'ligne de commande' if language == 'fr' else 'order line'} {line.line_no}"
    return ", ".join(p for p in (place(Location(sheet=loc.sheet), language), number) if p)


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
    "skipped_more": (
        "and {count} more of the same kind, not listed",
        "et {count} autre(s) du même genre, non listé(s)",
    ),
    "shipped_short": (
        "{shipped} shipped of {confirmed} confirmed",
        "{shipped} expédié(s) sur {confirmed} confirmé(s)",
    ),
    "lines_summary": (
        "{accepted} line(s) accepted, {rejected} rejected",
        "{accepted} ligne(s) acceptée(s), {rejected} refusée(s)",
    ),
}  # fmt: skip


def sentence(key: str, language: str = "en", **fields: object) -> str:
    """One of the sentences above, in ``language``, with its fields filled in."""
    return _say(_SENTENCES, key, language, fields)


def _say(table: dict[str, tuple[str, str]], key: str, language: str, fields: dict) -> str:
    en, fr = table[key]
    return (fr if language == "fr" else en).format_map(_Blank(fields))


def file_error_text(name: str, reason: str, language: str = "en") -> str:
    """The notice a partner receives when its file could not be read."""
    return sentence("file_error", language, name=name, reason=reason)


# --- what a partner reads beside a line or an order: details, explanations, what to do ---

#: (english, french) details of a line's problem, by the key the parser or rule gives it
_DETAILS: dict[str, tuple[str, str]] = {
    "scientific_barcode": (
        "barcode {value!r} in column {column!r} is in scientific notation: Excel rounded "
        "it and its last digits are lost",
        "le code-barre {value!r} de la colonne {column!r} est en notation scientifique : "
        "Excel l'a arrondi et ses derniers chiffres sont perdus",
    ),
    "too_large_quantity": (
        "quantity {shown} is too large (at most {limit})",
        "la quantité {shown} est trop grande (au plus {limit})",
    ),
    "too_large_price": (
        "unit price {shown} is too large (at most {limit})",
        "le prix unitaire {shown} est trop grand (au plus {limit})",
    ),
    "unreadable_value": (
        "{value!r} in column {column!r} cannot be read",
        "la valeur {value!r} de la colonne {column!r} est illisible",
    ),
}

#: (english, french) what an accepted line was read as, said so that nothing is silent
_EXPLANATIONS: dict[str, tuple[str, str]] = {
    "pack": ("{count} cases of {pack} = {total}", "{count} cartons de {pack} = {total}"),
    "read_as": ("read as: {name}", "interprété comme : {name}"),
    "joiner": ("; ", " ; "),
}


def explain_line(
    language: str,
    *,
    count: str | None = None,
    pack: str | None = None,
    total: str | None = None,
    read_as: str | None = None,
    also: str | None = None,
) -> str | None:
    """What the gateway made of an accepted line: a case barcode spelled out ("2 cartons
    de 24 = 48"), a name match disclosed ("interprété comme : …"), and ``also`` (a
    rounding) — None when there is nothing to say.

    >>> explain_line("fr", count="2", pack="24", total="48", read_as="Confiture de fraises 370 g")
    '2 cartons de 24 = 48 ; interprété comme : Confiture de fraises 370 g'
    """
    parts = [also] if also else []
    if pack is not None:
        counts = {"count": count, "pack": pack, "total": total}
        parts.append(_say(_EXPLANATIONS, "pack", language, counts))
    if read_as is not None:
        parts.append(_say(_EXPLANATIONS, "read_as", language, {"name": read_as}))
    return _say(_EXPLANATIONS, "joiner", language, {}).join(parts) or None


#: (english, french) what the sender can do about a refused line or order, by reason code
#: (and ``<code>+`` when there are products to choose from)
_HINTS: dict[str, tuple[str, str]] = {
    "invalid_quantity": (
        "Give the quantity as a number, e.g. 12.",
        "Indiquez la quantité en chiffres, p. ex. 12.",
    ),
    "missing_quantity": ("Give the quantity ordered.", "Indiquez la quantité commandée."),
    "invalid_date": ("Write the date as 31/12/2026.", "Écrivez la date sous la forme 31/12/2026."),
    "invalid_value": (
        "Correct the value and send the line again.",
        "Corrigez la valeur et renvoyez la ligne.",
    ),
    "scientific_barcode": (
        "Format the barcode column as Text in Excel (or send the .xlsx file) and send the "
        "line again.",
        "Mettez la colonne des codes-barres au format Texte dans Excel (ou envoyez le "
        "fichier .xlsx) et renvoyez la ligne.",
    ),
    "missing_product_id": (
        "Give the product's barcode, reference or name.",
        "Indiquez le code-barre, la référence ou la désignation du produit.",
    ),
    "invalid_barcode": (
        "Check the barcode: it is printed under the bars, 13 digits.",
        "Vérifiez le code-barre : il est imprimé sous les barres, 13 chiffres.",
    ),
    "invalid_barcode+": (
        "Check the barcode: did you mean {choices}?",
        "Vérifiez le code-barre : vouliez-vous dire {choices} ?",
    ),
    "unknown_barcode": (
        "We do not sell this barcode: give the product's reference or name.",
        "Nous ne vendons pas ce code-barre : indiquez la référence ou la désignation du produit.",
    ),
    "unknown_sku": (
        "Check the reference, or give the product's barcode or name.",
        "Vérifiez la référence, ou indiquez le code-barre ou la désignation.",
    ),
    "unknown_customer_ref": (
        "Give our reference or the barcode of the product.",
        "Indiquez notre référence ou le code-barre du produit.",
    ),
    "unknown_product": (
        "Give the product's barcode or reference.",
        "Indiquez le code-barre ou la référence du produit.",
    ),
    "unknown_product+": (
        "Did you mean {choices}? Give its barcode or reference.",
        "Vouliez-vous dire {choices} ? Indiquez son code-barre ou sa référence.",
    ),
    "ambiguous_name": (
        "Say which one: give the barcode or the reference.",
        "Précisez lequel : indiquez le code-barre ou la référence.",
    ),
    "ambiguous_name+": (
        "Say which one: {choices} (give its barcode or reference).",
        "Précisez lequel : {choices} (indiquez son code-barre ou sa référence).",
    ),
    "identifier_conflict": (
        "Keep the one identifier you meant: they name two products.",
        "Gardez le seul identifiant voulu : ils désignent deux produits.",
    ),
    "product_inactive": (
        "This product is no longer sold: choose another one.",
        "Ce produit n'est plus vendu : choisissez-en un autre.",
    ),
    "not_in_assortment": (
        "This product is not available to {customer}: ask your sales contact to add it.",
        "Ce produit n'est pas disponible pour {customer} : demandez à votre commercial de "
        "l'ajouter.",
    ),
    "non_positive_quantity": (
        "Give a quantity above zero.",
        "Indiquez une quantité supérieure à zéro.",
    ),
    "fractional_quantity": (
        "Order a whole number of {unit}.",
        "Commandez un nombre entier de {unit}.",
    ),
    "not_a_multiple": (
        "Order by {multiple} (e.g. {next}).",
        "Commandez par {multiple} (p. ex. {next}).",
    ),
    "unknown_customer": ("Give your customer code.", "Indiquez votre code client."),
    "unknown_site": (
        "Give the code of the delivery site.",
        "Indiquez le code du site de livraison.",
    ),
    "no_customer": (
        "Say which customer the order is for (a Client column, or Client: … above the table).",
        "Indiquez le client (une colonne Client, ou « Client : … » au-dessus du tableau).",
    ),
    "no_site": (
        "Say where to deliver (a Site column, or Site de livraison: … above the table).",
        "Indiquez le site de livraison (une colonne Site, ou « Site de livraison : … » "
        "au-dessus du tableau).",
    ),
    "not_granted": (
        "Contact us to order for {customer}{at_site}.",
        "Contactez-nous pour commander pour {customer}{sur_site}.",
    ),
    "no_usable_line": (
        "Correct the refused lines (see each line) and send the order again.",
        "Corrigez les lignes refusées (voir chaque ligne) et renvoyez la commande.",
    ),
    "no_lines": (
        "Add at least one line: a product and a quantity.",
        "Ajoutez au moins une ligne : un produit et une quantité.",
    ),
}


def hint(code: ReasonCode | str, language: str, **fields: object) -> str | None:
    """What the sender can do about ``code``, in its words (customer names, not codes);
    ``choices`` (a list) are the products it may have meant; ``key`` (or ``detail_key``)
    names a more precise problem.

    >>> hint(ReasonCode.NOT_IN_ASSORTMENT, "en", customer="Hôtel Bellevue")
    'This product is not available to Hôtel Bellevue: ask your sales contact to add it.'
    >>> hint(ReasonCode.AMBIGUOUS_NAME, "en", choices=["A Dark", "B Milk"])
    'Say which one: A Dark or B Milk (give its barcode or reference).'
    """
    name = str(code)
    key = fields.pop("key", None) or fields.get("detail_key")
    choices = fields.pop("choices", None)
    if isinstance(key, str) and key in _HINTS:
        name = key
    elif isinstance(choices, list) and choices and f"{name}+" in _HINTS:
        name = f"{name}+"
        glue = " ou " if language == "fr" else " or "
        fields["choices"] = (
            ", ".join(choices[:-1]) + glue + choices[-1] if len(choices) > 1 else choices[0]
        )
    if name not in _HINTS:
        return None
    return _say(_HINTS, name, language, fields)


def place(location: Location, language: str = "en") -> str:
    """Where in the file, as the sender would look for it (sheet, row or line)."""
    fr = language == "fr"
    parts = []
    if location.sheet:
        parts.append(f"{'feuille' if fr else 'sheet'} {location.sheet!r}")
    if location.line is not None:
        if location.segment:
            # Counted from the message's UNH / ST, as the sender's translator counts
            at = location.in_message if location.in_message is not None else location.line
            parts.append(f"segment {at} ({location.segment})")
        else:
            parts.append(f"{'ligne' if fr else 'line'} {location.line}")
    if location.column:
        parts.append(f"{'colonne' if fr else 'column'} {location.column!r}")
    return ", ".join(parts)


# --- why a file could not be read ----------------------------------------------------------

#: (english, french) a file's problem, by the key of the parser's error
_FILE_PROBLEMS: dict[str, tuple[str, str]] = {
    "empty_file": ("the file is empty", "le fichier est vide"),
    "blank_lines_only": (
        "the file holds only blank lines",
        "le fichier ne contient que des lignes vides",
    ),
    "binary_file": (
        "this is not a text or spreadsheet export (zip, PDF, image…)",
        "ce n'est pas un export texte ou tableur (zip, PDF, image…)",
    ),
    "not_an_order_file": (
        "this is not an order file (CSV, XLSX, EDIFACT or X12)",
        "ce n'est pas un fichier de commande (CSV, XLSX, EDIFACT ou X12)",
    ),
    "damaged_archive": (
        "the file is truncated or damaged; send the complete file again",
        "le fichier est tronqué ou abîmé ; renvoyez le fichier complet",
    ),
    "ods_workbook": (
        "this is an OpenDocument spreadsheet (.ods): save it as .xlsx and send it again",
        "c'est un classeur OpenDocument (.ods) : enregistrez-le au format .xlsx et renvoyez-le",
    ),
    "undecodable_byte": (
        "a character cannot be read as {encoding}; save the file as UTF-8 or Windows (ANSI) text",
        "un caractère ne peut pas être lu en {encoding} ; enregistrez le fichier en "
        "UTF-8 ou en texte Windows (ANSI)",
    ),
    "unknown_charset": (
        "the text is in no character set we read; save it as UTF-8",
        "le texte n'est dans aucun jeu de caractères que nous lisons ; enregistrez-le en UTF-8",
    ),
    "unsplittable": (
        "the file cannot be split into columns",
        "le fichier ne se découpe pas en colonnes",
    ),
    "unclosed_quote": (
        'a quote (") opened here is never closed',
        "un guillemet (\") ouvert ici n'est jamais fermé",
    ),
    "no_header": (
        "no order table in the first {rows} rows: a header with a quantity column and "
        "a barcode, reference or name column",
        "aucun tableau de commande dans les {rows} premières lignes : un en-tête avec une "
        "colonne de quantité et une colonne code-barre, référence ou désignation",
    ),
    "missing_column": (
        "the table has no {what} column (its header: {headers})",
        "le tableau n'a pas de colonne {what} (son en-tête : {headers})",
    ),
    "missing_column+": (
        "the table has no {what} column: did you mean {meant!r} for {written!r}?",
        "le tableau n'a pas de colonne {what} : vouliez-vous écrire {meant!r} au "
        "lieu de {written!r} ?",
    ),
    "header_row_past_end": (
        "the file ends before its header row",
        "le fichier s'arrête avant sa ligne d'en-tête",
    ),
    "no_order_lines": (
        "the table has no order line below its header",
        "le tableau n'a aucune ligne de commande sous son en-tête",
    ),
    "profile_sheet_missing": (
        "the workbook has no sheet {sheet!r} (it has: {sheets})",
        "le classeur n'a pas de feuille {sheet!r} (il a : {sheets})",
    ),
    # by error class, when the error has no key of its own
    "UnrecognisedFormat": (
        "the file is in no format we read (CSV, XLSX, EDIFACT or X12)",
        "le fichier n'est dans aucun format que nous lisons (CSV, XLSX, EDIFACT ou X12)",
    ),
    "EmptyFile": ("the file holds no order", "le fichier ne contient aucune commande"),
    "InvalidEncoding": (
        "the text cannot be read; save it as UTF-8",
        "le texte est illisible ; enregistrez-le en UTF-8",
    ),
    "HeaderNotFound": ("no order table found", "aucun tableau de commande trouvé"),
    "InvalidStructure": ("the file's structure is broken", "la structure du fichier est cassée"),
    "ParseError": ("the file cannot be read", "le fichier est illisible"),
}

_COLUMN_WORDS = {
    "quantity": ("quantity", "de quantité"),
    "barcode": ("barcode, reference or name", "code-barre, référence ou désignation"),
}


def file_problem(error: ParseError, language: str = "en") -> str:
    """Why a file could not be read, in ``language``, where it is (sheet, line), and what
    to do — worded from the error's key, never from its English text (an error without
    a key is told in English as it is, or by its kind in French).

    >>> from parsers.errors import HeaderNotFound
    >>> error = HeaderNotFound("…", line=1, sheet="Commande", key="missing_column",
    ...     params={"missing": "quantity", "written": "Qantité", "meant": "Quantité"})
    >>> file_problem(error, "fr")
    "feuille 'Commande', ligne 1 : le tableau n'a pas de colonne de quantité : vouliez-vous \
écrire 'Quantité' au lieu de 'Qantité' ?"
    """
    fields = dict(error.params)
    key = error.key
    if key == "missing_column":
        en, fr = _COLUMN_WORDS.get(str(fields.get("missing")), _COLUMN_WORDS["quantity"])
        fields["what"] = fr if language == "fr" else en
        if fields.get("meant"):
            key = "missing_column+"
    if key not in _FILE_PROBLEMS:
        if language != "fr":
            return str(error)
        key = next(
            (cls.__name__ for cls in type(error).__mro__ if cls.__name__ in _FILE_PROBLEMS),
            "ParseError",
        )
    text = _say(_FILE_PROBLEMS, key, language, fields)
    where = place(Location(line=error.line, sheet=error.sheet), language)
    return f"{where}{' : ' if language == 'fr' else ': '}{text}" if where else text


# --- what a reader left aside ----------------------------------------------------------------

_SKIPPED: dict[str, tuple[str, str]] = {
    "total_row": ("total row, not read", "ligne de total, non lue"),
    "repeated_header": ("header repeated, not read", "en-tête répété, non lu"),
    "sheet_without_table": (
        "no order table in this sheet, not read",
        "pas de tableau de commande dans cette feuille, non lue",
    ),
    "table_without_lines": (
        "no order line under this header",
        "aucune ligne de commande sous cet en-tête",
    ),
    "unread_column": (
        "column {text!r} is not read by our system",
        "la colonne {text!r} n'est pas lue par notre système",
    ),
    "text_above": (
        "{text!r} is not an order field, not read",
        "{text!r} n'est pas une rubrique de commande, non lu",
    ),
    "cell_beside": (
        "{text!r} is outside the table, not read",
        "{text!r} est hors du tableau, non lu",
    ),
    "unread_price": (
        "unit price {text!r} is not a number, not read",
        "le prix unitaire {text!r} n'est pas un nombre, non lu",
    ),
    "unread_date": ("{text!r} is not a date, not read", "{text!r} n'est pas une date, non lu"),
    "conflicting_value": (
        "{field} {text!r} differs from {kept!r} given earlier for the same order: {kept!r} is used",
        "{field} {text!r} diffère de {kept!r} indiqué plus haut pour la même "
        "commande : {kept!r} est retenu",
    ),
}
_FIELD_WORDS = {"customer": ("customer", "client"), "site": ("site", "site")}


def skipped_text(item: Skipped, language: str = "en") -> str:
    """One thing the reader left aside, in words, with where it is.

    >>> from parsers.document import SkipKind
    >>> skipped_text(Skipped(kind=SkipKind.TOTAL_ROW, location=Location(line=14)), "fr")
    'ligne 14 : ligne de total, non lue'
    """
    fields = {"text": item.text, "kept": item.kept, "field": item.field}
    if item.field in _FIELD_WORDS:
        en, fr = _FIELD_WORDS[item.field]
        fields["field"] = fr if language == "fr" else en
    text = _say(_SKIPPED, str(item.kind), language, fields)
    where = place(Location(line=item.location.line, sheet=item.location.sheet), language)
    return f"{where}{' : ' if language == 'fr' else ': '}{text}" if where else text


# --- an order as a whole ---------------------------------------------------------------------

_ORDER: dict[str, tuple[str, str]] = {
    "summary": (
        "{lines} line(s): {taken} taken, {refused} refused",
        "{lines} ligne(s) : {taken} retenue(s), {refused} refusée(s)",
    ),
    "summary_adjusted": (
        "{lines} line(s): {taken} taken ({adjusted} adjusted), {refused} refused",
        "{lines} ligne(s) : {taken} retenue(s) (dont {adjusted} ajustée(s)), {refused} refusée(s)",
    ),
    "for": ("for {customer}", "pour {customer}"),
    "delivery": ("delivery to {site}", "livraison à {site}"),
    "on": ("on {day}", "le {day}"),
    "comment": ("your comment: {comment}", "votre commentaire : {comment}"),
    "sep": ("; ", " ; "),
    "wait": (
        "Nothing to do: we will confirm the order once we have validated it.",
        "Rien à faire : nous vous confirmerons la commande après l'avoir validée.",
    ),
    "wait_refused": (
        "Correct the refused lines (see each line) and send them again; the "
        "other lines are being validated.",
        "Corrigez les lignes refusées (voir chaque ligne) et renvoyez-les ; les "
        "autres lignes sont en cours de validation.",
    ),
    "nothing": ("Nothing to do.", "Rien à faire."),
    "received_notice": (
        "We have received your file {name}.\nWe are looking at it and will come back to you; "
        "there is nothing for you to do for now.\n",
        "Nous avons bien reçu votre fichier {name}.\nNous l'examinons et revenons vers vous ; "
        "vous n'avez rien à faire pour l'instant.\n",
    ),
}


def order_summary(
    language: str,
    *,
    lines: int,
    taken: int,
    adjusted: int,
    refused: int,
    customer: str | None = None,
    site: str | None = None,
    delivery: str | None = None,
    comment: str | None = None,
) -> str:
    """What the order is and how its lines fared, in one sentence.

    >>> order_summary("fr", lines=3, taken=2, adjusted=0, refused=1, customer="Hôtel Bellevue",
    ...               site="Entrepôt de Lille", delivery="12/12/2026")
    'pour Hôtel Bellevue ; livraison à Entrepôt de Lille le 12/12/2026 ; 3 ligne(s) : \
2 retenue(s), 1 refusée(s)'
    """
    parts = []
    if customer:
        parts.append(_say(_ORDER, "for", language, {"customer": customer}))
    if site:
        text = _say(_ORDER, "delivery", language, {"site": site})
        if delivery:
            text += " " + _say(_ORDER, "on", language, {"day": delivery})
        parts.append(text)
    key = "summary_adjusted" if adjusted else "summary"
    counts = {"lines": lines, "taken": taken, "adjusted": adjusted, "refused": refused}
    parts.append(_say(_ORDER, key, language, counts))
    if comment:
        parts.append(_say(_ORDER, "comment", language, {"comment": comment}))
    return _say(_ORDER, "sep", language, {}).join(parts)


def order_hint(
    language: str,
    *,
    status: str,
    refused: int,
    reason: ReasonCode | None = None,
    **fields: object,
) -> str | None:
    """What the sender can do about the order as a whole."""
    if status == "rejected":
        return hint(reason, language, **fields) if reason else None
    if status in ("received", "pending_validation"):
        return _say(_ORDER, "wait_refused" if refused else "wait", language, {})
    return _say(_ORDER, "nothing", language, {}) if not refused else None


def day_text(day: date | None, language: str = "en") -> str | None:
    """A date as the partner writes it: 12/12/2026 in French, 2026-12-12 otherwise."""
    if day is None:
        return None
    return day.strftime("%d/%m/%Y") if language == "fr" else day.isoformat()


def received_notice_text(name: str, language: str = "en") -> str:
    """The neutral notice a partner receives when its file failed on our side."""
    return _say(_ORDER, "received_notice", language, {"name": name})


__all__ = [
    "ReasonCode",
    "barcode_problem",
    "day_text",
    "explain_line",
    "file_error_text",
    "file_problem",
    "hint",
    "nearest_text",
    "order_hint",
    "order_summary",
    "place",
    "reason_message",
    "received_notice_text",
    "sentence",
    "skipped_text",
    "where",
]
