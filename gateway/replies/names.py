"""The name of every file the gateway writes: replies, reports, forms. One home.

A partner's translator or an admin's script finds our files by these names, so they are
decided here and nowhere else. Parts that come from the sender (an order number, a
control reference) pass through :func:`safe`.

>>> ack_name("commande 12", 7, "csv")
'ACK_commande 12_7.csv'
>>> ordrsp_name("PO/42", 3), po_ack_855_name(None, 9)
('ORDRSP_PO_42_3.edi', '855_order_9.x12')
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

#: The longest file name Linux filesystems take (NAME_MAX), in bytes
NAME_MAX = 255
#: What a stem repeated in a reply name may take, leaving room for ``REJECTED_…_<id>.xlsx``
#: and the dispatcher's temporary ``.NAME.<pid>.tmp``
STEM_MAX = 160
_EXTENSION_MAX = 16
_HASH_CHARS = 12


def safe(text: str | None, default: str = "order") -> str:
    """A sender's value usable in a file name: letters, digits, ``-`` and ``_``, 40 at most.

    >>> safe("HB/55 31"), safe(None), safe("", "x")
    ('HB_55_31', 'order', 'x')
    """
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in (text or default))[:40]


def shown(name: str) -> str:
    r"""A received file name as text any database, log or reason file takes: the bytes of a
    name that were not UTF-8 (Python's surrogate escapes) written as ``\xNN``.

    >>> shown("caf\udce9.csv"), shown("café.csv")
    ('caf\\xe9.csv', 'café.csv')
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def fitted(name: str, room: int = 0) -> str:
    """``name`` (:func:`shown`) as a file name that leaves ``room`` bytes of NAME_MAX free.

    A name too long keeps its beginning and its extension; a hash of the whole name in
    between keeps two long names that differ only at their end apart.

    >>> fitted("a.csv")
    'a.csv'
    >>> long = fitted("x" * 300 + ".csv", room=20); len(long.encode()), long[-17:]
    (235, '~e93a53312f30.csv')
    """
    text = shown(name)
    limit = NAME_MAX - room
    if len(text.encode()) <= limit:
        return text
    import hashlib  # here: only a name too long needs it, and every command imports names

    digest = hashlib.sha256(text.encode()).hexdigest()[:_HASH_CHARS]
    base, dot, ext = text.rpartition(".")
    if not base or len(ext.encode()) > _EXTENSION_MAX:
        base, dot, ext = text, "", ""
    keep = limit - len(f"~{digest}{dot}{ext}".encode())
    head = base.encode()[:keep].decode("utf-8", "ignore")  # never half a character
    return f"{head}~{digest}{dot}{ext}"


def stem(file_name: str) -> str:
    """The received file's name without its extension, as replies to it repeat it: shown
    as text and shortened (:func:`fitted`) so that every reply name fits on disk."""
    return fitted(PurePath(shown(file_name)).stem, room=NAME_MAX - STEM_MAX)


# --- answering one received file ------------------------------------------------------------
def ack_name(file_stem: str, inbound_id: int, extension: str, revision: str | None = None) -> str:
    """The line acknowledgement of a spreadsheet order file (``csv`` or ``xlsx``); a
    ``revision`` (a replay) gets an acknowledgement of its own.

    >>> ack_name("cde", 4, "csv", revision="R2")
    'ACK_cde_4_R2.csv'
    """
    tail = f"_{revision}" if revision else ""
    return f"ACK_{file_stem}_{inbound_id}{tail}.{extension}"


def rejection_report_name(file_stem: str, inbound_id: int) -> str:
    """The admin's XLSX of a file's rejected lines."""
    return f"REJECTED_{file_stem}_{inbound_id}.xlsx"


def file_error_name(file_stem: str, inbound_id: int) -> str:
    """The notice to the partner that a file could not be read."""
    return f"ERROR_{file_stem}_{inbound_id}.txt"


def duplicate_notice_name(file_stem: str, inbound_id: int) -> str:
    """The notice to the partner that a file repeats one it sent before."""
    return f"DUPLICATE_{file_stem}_{inbound_id}.txt"


def received_notice_name(file_stem: str, inbound_id: int) -> str:
    """The partner's notice that a file failed on our side: received, being looked at."""
    return f"RECEIVED_{file_stem}_{inbound_id}.txt"


def failure_report_name(file_stem: str, inbound_id: int) -> str:
    """The admin's report of a file that failed on our side (configuration, a crash)."""
    return f"FAILED_{file_stem}_{inbound_id}.txt"


def contrl_name(control_ref: str | None, interchange: int) -> str:
    return f"CONTRL_{safe(control_ref)}_{interchange}.edi"


def ta1_name(control_ref: str | None, interchange: int) -> str:
    return f"TA1_{safe(control_ref)}_{interchange}.x12"


def fa_997_name(group_ref: str | None, interchange: int) -> str:
    return f"997_{safe(group_ref)}_{interchange}.x12"


def ordrsp_name(order_number: str | None, interchange: int) -> str:
    return f"ORDRSP_{safe(order_number)}_{interchange}.edi"


def po_ack_855_name(order_number: str | None, interchange: int) -> str:
    return f"855_{safe(order_number)}_{interchange}.x12"


def po_change_ack_865_name(order_number: str | None, interchange: int) -> str:
    """The 865 answering a buyer's 860 (or a replacing or cancelling 850)."""
    return f"865_{safe(order_number)}_{interchange}.x12"


def desadv_name(order_number: str | None, shipment: str, interchange: int) -> str:
    """The EANCOM despatch advice of one shipment."""
    return f"DESADV_{safe(order_number)}_{safe(shipment)}_{interchange}.edi"


def ship_notice_856_name(order_number: str | None, shipment: str, interchange: int) -> str:
    """The X12 ship notice of one shipment."""
    return f"856_{safe(order_number)}_{safe(shipment)}_{interchange}.x12"


def refusal_name(file_stem: str, inbound_id: int) -> str:
    """The admin's text on an EDI file refused whole (its partner is answered in EDI)."""
    return f"REFUSED_{file_stem}_{inbound_id}.txt"


# --- after intake ---------------------------------------------------------------------------
def status_name(order_number: str | None, order_id: int, event_id: int, extension: str) -> str:
    """A spreadsheet status report about one change of one order."""
    return f"STATUS_{safe(order_number)}_{order_id}_{event_id}.{extension}"


def digest_name(partner_id: str, day: date) -> str:
    return f"DIGEST_{partner_id}_{day:%Y%m%d}.xlsx"


def feed_result_name(file_stem: str, feed_id: int) -> str:
    """The admin's result of one ERP status-feed file."""
    return f"RESULT_{file_stem}_{feed_id}.csv"


def orders_report_name(partner_id: str, day: date) -> str:
    return f"orders_{partner_id}_{day:%Y%m%d}.xlsx"


def order_form_name(customer: str, site: str | None) -> str:
    return f"order_form_{customer}{'_' + site if site else ''}.xlsx"


__all__ = [
    "NAME_MAX",
    "ack_name",
    "contrl_name",
    "desadv_name",
    "digest_name",
    "duplicate_notice_name",
    "fa_997_name",
    "failure_report_name",
    "feed_result_name",
    "file_error_name",
    "fitted",
    "order_form_name",
    "orders_report_name",
    "ordrsp_name",
    "po_ack_855_name",
    "po_change_ack_865_name",
    "received_notice_name",
    "refusal_name",
    "rejection_report_name",
    "safe",
    "ship_notice_856_name",
    "shown",
    "status_name",
    "stem",
    "ta1_name",
]
