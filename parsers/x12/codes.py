"""X12 code lists the codec reads and writes, as enums so a code is typed once.

Values are the codes of the ASC X12 data element dictionary (checked against the
004010/005010 lists): 715/716/717/718/720/723 for the 997, I18 for the TA1 note,
353/587/668 for the 850 and 855.
"""

from __future__ import annotations

from enum import StrEnum


class SegmentErrorCode(StrEnum):
    """AK304 – Segment Syntax Error Code (element 720)."""

    UNRECOGNIZED_SEGMENT_ID = "1"
    UNEXPECTED_SEGMENT = "2"
    MANDATORY_SEGMENT_MISSING = "3"
    LOOP_OVER_MAXIMUM = "4"
    SEGMENT_EXCEEDS_MAXIMUM_USE = "5"
    SEGMENT_NOT_IN_SET = "6"
    SEGMENT_NOT_IN_SEQUENCE = "7"
    SEGMENT_HAS_ELEMENT_ERRORS = "8"


class ElementErrorCode(StrEnum):
    """AK403 – Data Element Syntax Error Code (element 723)."""

    MANDATORY_MISSING = "1"
    CONDITIONAL_REQUIRED_MISSING = "2"
    TOO_MANY_ELEMENTS = "3"
    TOO_SHORT = "4"
    TOO_LONG = "5"
    INVALID_CHARACTER = "6"
    INVALID_CODE_VALUE = "7"
    INVALID_DATE = "8"
    INVALID_TIME = "9"
    EXCLUSION_VIOLATED = "10"
    TOO_MANY_REPETITIONS = "12"  # 005010+
    TOO_MANY_COMPONENTS = "13"  # 005010+


class SetErrorCode(StrEnum):
    """AK502..AK506 – Transaction Set Syntax Error Code (element 718)."""

    NOT_SUPPORTED = "1"
    TRAILER_MISSING = "2"
    CONTROL_NUMBER_MISMATCH = "3"
    SEGMENT_COUNT_MISMATCH = "4"
    SEGMENTS_IN_ERROR = "5"
    INVALID_SET_IDENTIFIER = "6"
    INVALID_CONTROL_NUMBER = "7"
    CONTROL_NUMBER_NOT_UNIQUE = "23"


class GroupErrorCode(StrEnum):
    """AK905..AK909 – Functional Group Syntax Error Code (element 716)."""

    NOT_SUPPORTED = "1"
    VERSION_NOT_SUPPORTED = "2"
    TRAILER_MISSING = "3"
    CONTROL_NUMBER_MISMATCH = "4"
    SET_COUNT_MISMATCH = "5"
    INVALID_CONTROL_NUMBER = "6"


class InterchangeErrorCode(StrEnum):
    """TA105 – Interchange Note Code (element I18), for interchange-level problems."""

    NO_ERROR = "000"
    CONTROL_NUMBER_MISMATCH = "001"
    INVALID_SENDER = "006"
    UNKNOWN_RECEIVER = "009"
    INVALID_VERSION = "017"
    INVALID_CONTROL_NUMBER = "018"
    INVALID_GROUP_COUNT = "021"
    INVALID_CONTROL_STRUCTURE = "022"
    PREMATURE_END_OF_FILE = "023"
    INVALID_CONTENT = "024"
    DUPLICATE_CONTROL_NUMBER = "025"
    INVALID_COMPONENT_SEPARATOR = "027"


class InterchangeAckCode(StrEnum):
    """TA104 – Interchange Acknowledgment Code (element I17)."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    REJECTED = "R"


class SetAckCode(StrEnum):
    """AK501 – Transaction Set Acknowledgment Code (element 717)."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    REJECTED = "R"


class GroupAckCode(StrEnum):
    """AK901 – Functional Group Acknowledge Code (element 715)."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    PARTIALLY_ACCEPTED = "P"
    REJECTED = "R"


class TransactionPurpose(StrEnum):
    """BEG01 / BAK01 – Transaction Set Purpose Code (element 353), the codes orders use."""

    ORIGINAL = "00"
    CANCELLATION = "01"
    CHANGE = "04"
    REPLACE = "05"
    CONFIRMATION = "06"
    DUPLICATE = "07"


#: BEG01 → OrderDocument.function (the neutral words the other readers use)
PURPOSE_FUNCTION = {
    TransactionPurpose.ORIGINAL: "original",
    TransactionPurpose.CANCELLATION: "cancel",
    TransactionPurpose.CHANGE: "change",
    TransactionPurpose.REPLACE: "replace",
    TransactionPurpose.CONFIRMATION: "confirmation",
    TransactionPurpose.DUPLICATE: "duplicate",
}


class AcknowledgmentType(StrEnum):
    """BAK02 – Acknowledgment Type (element 587), the codes an 855 writer needs."""

    WITH_DETAIL_AND_CHANGE = "AC"
    WITH_DETAIL_NO_CHANGE = "AD"
    WITH_EXCEPTION_DETAIL_ONLY = "AE"
    NO_DETAIL_OR_CHANGE = "AK"
    REJECT_WITH_DETAIL = "RD"
    REJECTED_NO_DETAIL = "RJ"


class LineItemStatus(StrEnum):
    """ACK01 – Line Item Status Code (element 668), the codes an 855 writer needs."""

    ACCEPTED = "IA"
    ACCEPTED_CHANGES_MADE = "IC"
    ACCEPTED_QUANTITY_CHANGED = "IQ"
    ACCEPTED_PRICE_CHANGED = "IP"
    BACKORDERED = "IB"
    REJECTED = "IR"
    REJECTED_INVALID_PRODUCT = "R2"
