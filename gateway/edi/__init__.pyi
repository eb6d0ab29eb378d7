from .acknowledgments import EdiReply, record_sent, take_acknowledgments
from .admission import Refused, admit_interchanges
from .control_numbers import ControlKind, next_control

__all__ = [
    "ControlKind",
    "EdiReply",
    "Refused",
    "admit_interchanges",
    "next_control",
    "record_sent",
    "take_acknowledgments",
]
