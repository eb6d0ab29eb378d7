"""EDIFACT: read ORDERS and ORDCHG interchanges, write CONTRL, EANCOM ORDRSP and DESADV.

result = read(data)                 # EdifactReadResult: .documents, .interchanges
for report in result.interchanges:  # one per UNB…UNZ
    contrl = write_contrl(report, sender_id=..., sender_qualifier=..., ...)
"""

from parsers.edifact.contrl import write_contrl
from parsers.edifact.desadv import write_desadv
from parsers.edifact.ordrsp import write_ordrsp
from parsers.edifact.reader import read, recognise
from parsers.edifact.reports import (
    SERVICE_MESSAGES,
    EdifactReadResult,
    GroupReport,
    InterchangeReport,
    InterchangeVerdict,
    MessageReport,
    SyntaxErrorCode,
    SyntaxIssue,
)
from parsers.edifact.service_chars import DEFAULT, ServiceChars, parse_una

__all__ = [
    "DEFAULT",
    "SERVICE_MESSAGES",
    "EdifactReadResult",
    "GroupReport",
    "InterchangeReport",
    "InterchangeVerdict",
    "MessageReport",
    "ServiceChars",
    "SyntaxErrorCode",
    "SyntaxIssue",
    "parse_una",
    "read",
    "recognise",
    "write_contrl",
    "write_desadv",
    "write_ordrsp",
]
