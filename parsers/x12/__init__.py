"""X12 codec: 850 purchase orders and 860 changes in; 997, 855, 865 and 856 out.

The same small surface as every format in :mod:`parsers`:

* :func:`recognise` – do these bytes look like X12?
* :func:`read` – bytes → :class:`X12ReadResult` (orders + a report per interchange,
  group and set, with the real 997 error codes and segment positions);
* :func:`write_997` – one functional acknowledgment for one received group;
* :func:`write_855` – a purchase order acknowledgment for one :class:`OrderResponse`;
* :func:`write_865` – the acknowledgment of a buyer's change (860);
* :func:`write_856` – the ship notice of one :class:`~parsers.document.Shipment`;
* :func:`write_ta1` – an interchange acknowledgment for one received interchange.

Errors: :class:`NotX12` (not X12 at all), :class:`parsers.errors.EmptyFile` and
:class:`parsers.errors.InvalidStructure` (an unreadable first ISA) – all ParseErrors.
"""

from parsers.x12.ack_997 import write_997
from parsers.x12.codes import (
    AcknowledgmentType,
    ElementErrorCode,
    GroupAckCode,
    GroupErrorCode,
    InterchangeAckCode,
    InterchangeErrorCode,
    LineItemStatus,
    SegmentErrorCode,
    SetAckCode,
    SetErrorCode,
    TransactionPurpose,
)
from parsers.x12.delimiters import Delimiters, NotX12
from parsers.x12.order_850 import ID_QUALIFIERS
from parsers.x12.po_change_ack_865 import write_865
from parsers.x12.reader import Segment, read, recognise, segments
from parsers.x12.received_acks import AcknowledgedSet, FunctionalAck, InterchangeAck
from parsers.x12.reports import (
    ElementError,
    GroupError,
    GroupReport,
    InterchangeError,
    InterchangeReport,
    SegmentError,
    SetError,
    TransactionSetReport,
    X12ReadResult,
)
from parsers.x12.response_855 import write_855
from parsers.x12.ship_notice_856 import write_856
from parsers.x12.ta1 import ta1_verdict, write_ta1

__all__ = [
    "ID_QUALIFIERS",
    "AcknowledgedSet",
    "AcknowledgmentType",
    "Delimiters",
    "ElementError",
    "ElementErrorCode",
    "FunctionalAck",
    "GroupAckCode",
    "GroupError",
    "GroupErrorCode",
    "GroupReport",
    "InterchangeAck",
    "InterchangeAckCode",
    "InterchangeError",
    "InterchangeErrorCode",
    "InterchangeReport",
    "LineItemStatus",
    "NotX12",
    "Segment",
    "SegmentError",
    "SegmentErrorCode",
    "SetAckCode",
    "SetError",
    "SetErrorCode",
    "TransactionPurpose",
    "TransactionSetReport",
    "X12ReadResult",
    "read",
    "recognise",
    "segments",
    "ta1_verdict",
    "write_855",
    "write_856",
    "write_865",
    "write_997",
    "write_ta1",
]
