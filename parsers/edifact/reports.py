"""What the EDIFACT reader found in each interchange: the facts a CONTRL needs.

Nothing here raises.  An error (:class:`SyntaxIssue`) rejects the level it sits on —
the interchange (UNA/UNB/UNZ, segments outside any message), a functional group
(UNG/UNE) or one message (UNH…UNT and its segments) — exactly as a CONTRL reports
it; a warning is a tolerated irregularity that rejects nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from parsers.document import OrderDocument, ReadResult
from parsers.edifact.service_chars import DEFAULT, ServiceChars


class SyntaxErrorCode(StrEnum):
    """UN/EDIFACT service code list 0085 "Syntax error, coded" (syntax version 4)."""

    SYNTAX_VERSION_NOT_SUPPORTED = "2"
    RECIPIENT_NOT_ACTUAL_RECIPIENT = "7"
    INVALID_VALUE = "12"
    MISSING = "13"
    VALUE_NOT_SUPPORTED_IN_POSITION = "14"
    NOT_SUPPORTED_IN_POSITION = "15"
    TOO_MANY_CONSTITUENTS = "16"
    NO_AGREEMENT = "17"
    UNSPECIFIED = "18"
    INVALID_DECIMAL_NOTATION = "19"
    CHARACTER_INVALID_AS_SERVICE_CHARACTER = "20"
    INVALID_CHARACTERS = "21"
    INVALID_SERVICE_CHARACTERS = "22"
    UNKNOWN_INTERCHANGE_SENDER = "23"
    TOO_OLD = "24"
    TEST_INDICATOR_NOT_SUPPORTED = "25"
    DUPLICATE_DETECTED = "26"
    SECURITY_FUNCTION_NOT_SUPPORTED = "27"
    REFERENCES_DO_NOT_MATCH = "28"
    CONTROL_COUNT_DOES_NOT_MATCH = "29"
    GROUPS_AND_MESSAGES_MIXED = "30"
    MORE_THAN_ONE_MESSAGE_TYPE_IN_GROUP = "31"
    LOWER_LEVEL_EMPTY = "32"
    INVALID_OCCURRENCE_OUTSIDE_MESSAGE = "33"
    NESTING_INDICATOR_NOT_ALLOWED = "34"
    TOO_MANY_REPETITIONS = "35"
    TOO_MANY_SEGMENT_GROUP_REPETITIONS = "36"
    INVALID_TYPE_OF_CHARACTERS = "37"
    MISSING_DIGIT_BEFORE_DECIMAL_SIGN = "38"
    DATA_ELEMENT_TOO_LONG = "39"
    DATA_ELEMENT_TOO_SHORT = "40"
    PERMANENT_COMMUNICATION_NETWORK_ERROR = "41"
    TEMPORARY_COMMUNICATION_NETWORK_ERROR = "42"
    UNKNOWN_INTERCHANGE_RECIPIENT = "43"
    TRAILING_SEPARATOR = "45"
    CHARACTER_SET_NOT_SUPPORTED = "46"
    ENVELOPE_FUNCTIONALITY_NOT_SUPPORTED = "47"


@dataclass(slots=True, kw_only=True)
class SyntaxIssue:
    """One syntax or control error, located the way UCI/UCM/UCS/UCD locate it."""

    code: SyntaxErrorCode
    text: str
    #: Segment position in the file, 1-based (a UNA counts as a segment)
    position: int | None = None
    #: Segment position within its message (UNH = 1), for UCS 0096
    message_position: int | None = None
    segment_tag: str | None = None
    #: Data element position in the segment (UCD/S011 0098), 1-based
    element: int | None = None
    #: Component position in the element (S011 0104), 1-based
    component: int | None = None
    message_ref: str | None = None

    def __str__(self) -> str:
        where = []
        if self.position is not None:
            where.append(f"segment {self.position}")
        if self.segment_tag:
            where.append(self.segment_tag)
        if self.element is not None:
            ref = f"{self.segment_tag or ''}{self.element:02d}"
            where.append(f"element {ref}-{self.component}" if self.component else f"element {ref}")
        if self.message_ref is not None:
            where.append(f"message {self.message_ref!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.text} (0085 code {self.code.value})" if prefix else self.text


#: CONTRL UCI 0083, action coded: what the partner did with one of our interchanges
CONTRL_ACTIONS = {
    "4": "rejected",
    "7": "acknowledged",
    "8": "received",
}


@dataclass(slots=True, kw_only=True)
class InterchangeVerdict:
    """A received CONTRL's UCI: what the partner says of one of our interchanges."""

    interchange_ref: str  # UCI 0020: our UNB reference
    action: str  # 0083: 4 rejected, 7 acknowledged, 8 received
    error: str | None = None  # 0085

    @property
    def accepted(self) -> bool:
        return self.action != "4"

    def __str__(self) -> str:
        what = CONTRL_ACTIONS.get(self.action, f"action {self.action!r}")
        text = f"CONTRL for our interchange {self.interchange_ref}: {what}"
        return text + (f" (error {self.error})" if self.error else "")


@dataclass(slots=True, kw_only=True)
class MessageReport:
    ref: str
    #: S009: message type, version, release, agency, association code
    type: str
    version: str = ""
    release: str = ""
    agency: str = ""
    association: str = ""
    group_ref: str | None = None
    position: int | None = None  # of the UNH in the file
    segment_count: int = 0  # UNH…UNT as actually received
    errors: list[SyntaxIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The order read from it, when it is an accepted ORDERS message
    document: OrderDocument | None = None
    #: What it says of our interchange, when it is a CONTRL
    verdict: InterchangeVerdict | None = None

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def identifier(self) -> str:
        """S009 as written: ``ORDERS:D:96A:UN:EAN008``."""
        parts = [self.type, self.version, self.release, self.agency, self.association]
        return ":".join(parts).rstrip(":")


@dataclass(slots=True, kw_only=True)
class GroupReport:
    ref: str
    function: str = ""  # 0038, e.g. ORDERS
    sender_id: str | None = None
    sender_qualifier: str | None = None
    recipient_id: str | None = None
    recipient_qualifier: str | None = None
    position: int | None = None
    errors: list[SyntaxIssue] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors


#: Message types that are not orders but are expected traffic (never answered by CONTRL)
SERVICE_MESSAGES = frozenset({"CONTRL", "APERAK"})


@dataclass(slots=True, kw_only=True)
class InterchangeReport:
    """One UNB…UNZ as received, with what a CONTRL answering it must quote."""

    position: int  # segment position of the UNA or UNB that opens it
    control_ref: str | None = None  # UNB 0020
    sender_id: str | None = None
    sender_qualifier: str | None = None
    sender_routing: str | None = None  # S002 0008, echoed when replying
    recipient_id: str | None = None
    recipient_qualifier: str | None = None
    recipient_routing: str | None = None
    syntax_identifier: str | None = None  # UNOC
    syntax_version: str | None = None  # 3
    #: The Python codec the text was actually decoded with
    charset: str | None = None
    service_chars: ServiceChars = DEFAULT
    una_present: bool = False
    #: What the sender wrote after its segment terminators (``"\r\n"``, ``"\n"``, ``""``)
    line_ending: str = ""
    prepared_date: str | None = None  # as written (YYMMDD or CCYYMMDD)
    prepared_time: str | None = None
    application_ref: str | None = None  # 0026
    ack_requested: bool = False  # 0031 = 1
    test: bool = False  # 0035 = 1
    groups: list[GroupReport] = field(default_factory=list)
    messages: list[MessageReport] = field(default_factory=list)
    errors: list[SyntaxIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """The envelope itself is sound (messages may still be rejected one by one)."""
        return not self.errors

    @property
    def only_acknowledgments(self) -> bool:
        """It carries CONTRL/APERAK messages and nothing else: never answered by a CONTRL."""
        return bool(self.messages) and all(m.type in SERVICE_MESSAGES for m in self.messages)

    @property
    def all_errors(self) -> list[SyntaxIssue]:
        found = list(self.errors)
        for group in self.groups:
            found.extend(group.errors)
        for message in self.messages:
            found.extend(message.errors)
        return found

    @property
    def documents(self) -> list[OrderDocument]:
        """The orders read from this interchange (its accepted ORDERS messages)."""
        return [m.document for m in self.messages if m.document is not None]


@dataclass(slots=True, kw_only=True)
class EdifactReadResult(ReadResult):
    """Orders from every accepted ORDERS message, and a report per interchange."""

    interchanges: list[InterchangeReport] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every error of every interchange, group and message as one line of text."""
        return [issue.text for ic in self.interchanges for issue in ic.all_errors]
