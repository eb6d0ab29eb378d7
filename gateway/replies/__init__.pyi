from .dispatch import dispatch_pending
from .outbox import Audience, MessageKind, Outbox, outbox_transaction
from .status_reports import queue_status_report

__all__ = [
    "Audience",
    "MessageKind",
    "Outbox",
    "dispatch_pending",
    "outbox_transaction",
    "queue_status_report",
]
