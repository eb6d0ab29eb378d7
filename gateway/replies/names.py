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


def safe(text: str | None, default: str = "order") -> str:
    """A sender's value usable in a file name: letters, digits, ``-`` and ``_``, 40 at most.

    >>> safe("HB/55 31"), safe(None), safe("", "x")
    ('HB_55_31', 'order', 'x')
    """
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in (text or default))[:40]


def stem(file_name: str) -> str:
    """The received file's name without its extension, as replies to it repeat it."""
    return PurePath(file_name).stem


# --- answering one received file ------------------------------------------------------------
def ack_name(file_stem: str, inbound_id: int, extension: str) -> str:
    """The line acknowledgement of a spreadsheet order file (``csv`` or ``xlsx``)."""
    return f"ACK_{file_stem}_{inbound_id}.{extension}"


def rejection_report_name(file_stem: str, inbound_id: int) -> str:
    """The admin's XLSX of a file's rejected lines."""
    return f"REJECTED_{file_stem}_{inbound_id}.xlsx"


def file_error_name(file_stem: str, inbound_id: int) -> str:
    """The notice to the partner that a file could not be read."""
    return f"ERROR_{file_stem}_{inbound_id}.txt"


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
    "ack_name",
    "contrl_name",
    "digest_name",
    "fa_997_name",
    "failure_report_name",
    "feed_result_name",
    "file_error_name",
    "order_form_name",
    "orders_report_name",
    "ordrsp_name",
    "po_ack_855_name",
    "received_notice_name",
    "rejection_report_name",
    "safe",
    "status_name",
    "stem",
    "ta1_name",
]
