"""Which directory, release and association code a reply is written in.

A reply answers in the directory of the message it answers (D96A, D01B… as received),
and, for an EANCOM message (an association code ``EAN…``), in the EANCOM release that
directory belongs to: EANCOM 1997 is built on D96A, EANCOM 2002 on D01B.  Each message
of a release has its own association code (the EANCOM "subset version"), so an ORDRSP
answering an ``ORDERS:D:01B:UN:EAN010`` is ``ORDRSP:D:01B:UN:EAN007``.  A message from
no EANCOM release (``ORDERS:D:93A:UN`` or an association of its own) is answered in its
directory without an association code.

>>> reply_identifier("ORDRSP", "D", "01B", "UN", "EAN010")
('ORDRSP', 'D', '01B', 'UN', 'EAN007')
>>> reply_identifier("DESADV", "D", "96A", "UN", "EAN008")
('DESADV', 'D', '96A', 'UN', 'EAN005')
>>> reply_identifier("ORDRSP", "D", "93A", "UN", "003")
('ORDRSP', 'D', '93A', 'UN')
>>> contrl_identifier("3", "01B", "EAN010"), contrl_identifier("4", "96A", "")
(('CONTRL', 'D', '3', 'UN', 'EAN004'), ('CONTRL', '4', '1', 'UN'))

Code lists follow the directory too: the item type of a GTIN is ``EN`` (EAN) or ``UP``
(UPC) in EANCOM 1997 and ``SRV`` (GS1 GTIN) from D01B on.

>>> gtin_item_type("01B", "4006381333931"), gtin_item_type("96A", "036000291452")
('SRV', 'UP')
"""

from __future__ import annotations

#: The association codes of one EANCOM release, per message type we send
EANCOM_1997 = {"ORDRSP": "EAN005", "DESADV": "EAN005", "CONTRL": "EAN002"}
EANCOM_2002 = {"ORDRSP": "EAN007", "DESADV": "EAN007", "CONTRL": "EAN004"}
#: The directory each release is built on
RELEASE_DIRECTORY = {"96A": EANCOM_1997, "01B": EANCOM_2002}
#: Directories from this release on name a GTIN ``SRV`` (7143 code list)
_SRV_FROM = "01B"
_DEFAULT = ("D", "96A", "UN")


def _release_key(release: str) -> str:
    """``96A`` → ``1996A``, ``01B`` → ``2001B``: comparable across the century."""
    year = release[:2]
    if not (len(release) == 3 and year.isdigit()):
        return release
    return ("19" if int(year) >= 90 else "20") + release


def eancom_release(release: str, association: str) -> dict[str, str] | None:
    """The EANCOM release an ``EAN…`` message of directory ``release`` belongs to."""
    if not association.upper().startswith("EAN"):
        return None
    if release in RELEASE_DIRECTORY:
        return RELEASE_DIRECTORY[release]
    return EANCOM_2002 if _release_key(release) >= _release_key(_SRV_FROM) else EANCOM_1997


def reply_identifier(
    message_type: str, version: str, release: str, agency: str, association: str
) -> tuple[str, ...]:
    """S009 of our ``message_type`` answering a message identified as given."""
    if not (version and release and agency):
        version, release, agency = _DEFAULT
        association = association or "EAN008"
    eancom = eancom_release(release, association)
    if eancom is None:
        return (message_type, version, release, agency)
    return (message_type, version, release, agency, eancom[message_type])


def contrl_identifier(syntax_version: str, release: str, association: str) -> tuple[str, ...]:
    """S009 of a CONTRL: ``4:1`` under syntax 4, else ``D:3``, with the association code
    of the EANCOM release of the message acknowledged (its directory and association)."""
    base = ("CONTRL", "4", "1", "UN") if syntax_version == "4" else ("CONTRL", "D", "3", "UN")
    eancom = eancom_release(release, association)
    return base if eancom is None else (*base, eancom["CONTRL"])


def gtin_item_type(release: str, gtin: str) -> str:
    """7143 for a GTIN in a message of directory ``release``."""
    if _release_key(release) >= _release_key(_SRV_FROM):
        return "SRV"
    return "UP" if len(gtin) == 12 else "EN"


__all__ = [
    "EANCOM_1997",
    "EANCOM_2002",
    "contrl_identifier",
    "eancom_release",
    "gtin_item_type",
    "reply_identifier",
]
