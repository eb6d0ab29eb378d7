from .lifecycle import ALLOWED, OrderStatus, check_transition
from .reasons import ReasonCode, reason_message
from .resolve import MatchedBy, resolve_line

__all__ = [
    "ALLOWED",
    "MatchedBy",
    "OrderStatus",
    "ReasonCode",
    "check_transition",
    "reason_message",
    "resolve_line",
]
