from .guard import DEFERRED, process_claimed
from .pipeline import FileOutcome, FileResult, OrderSummary, process_file

__all__ = [
    "DEFERRED",
    "FileOutcome",
    "FileResult",
    "OrderSummary",
    "process_claimed",
    "process_file",
]
