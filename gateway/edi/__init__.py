"""EDI on the way in: which interchanges are taken, and what partners acknowledge.

Where each rule lives:

* an interchange is taken when addressed to us, and only once — :mod:`gateway.edi.admission`
  (the sender-id rules themselves: :mod:`gateway.rules.senders`)
* a partner's 997/999, TA1 or CONTRL matched to what we sent — :mod:`gateway.edi.acknowledgments`
* control numbers of what we send, per partner and kind — :mod:`gateway.edi.control_numbers`

The EDIFACT and X12 replies themselves are built in :mod:`gateway.replies`.
"""

from gateway.edi.acknowledgments import EdiReply, record_sent, take_acknowledgments
from gateway.edi.admission import Refused, admit_interchanges
from gateway.edi.control_numbers import ControlKind, next_control

__all__ = [
    "ControlKind",
    "EdiReply",
    "Refused",
    "admit_interchanges",
    "next_control",
    "record_sent",
    "take_acknowledgments",
]
