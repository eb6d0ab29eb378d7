"""Who sent an EDI interchange, and whether it was meant for us. Plain rules, no I/O.

* A partner's ``edi_ids`` list the interchange sender ids that are its own (``"id"`` or
  ``"qualifier:id"``). A file whose UNB / ISA sender belongs to another partner, or to
  none, is refused: no one orders in another's name by dropping a file in their folder.
* A partner's ``application_ids`` (X12 GS02) tell apart divisions sharing one ISA id.
* ``[supplier] receiver_ids``, when set, are the ids partners address us by: an
  interchange for anyone else was meant for someone else.
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway.config.settings import GatewayConfig
from gateway.errors import Refused
from parsers.document import SourceFormat


class SenderRefused(Refused):
    """The file's sender is not one of the partner's own.

    The message goes back to whoever sent the file, so it names only what they sent:
    never which partner owns that id, nor which ids would pass (that would tell an
    impostor whom to pose as). ``admin_detail`` says that, for the admin's reason file.
    """

    def __init__(self, message: str, fmt: str, admin_detail: str | None = None) -> None:
        super().__init__(message)
        self.format = fmt
        #: The reader's result, so that the refused interchanges can be answered in EDI
        self.result: object | None = None
        self.admin_detail = admin_detail


def edi_id(qualifier: str | None, ident: str | None) -> str:
    """An interchange party as ``edi_ids`` write it: ``qualifier:id``, or ``id`` alone.

    >>> edi_id("14", "5412345000013"), edi_id(None, "NORTHWIND"), edi_id(" ", " X ")
    ('14:5412345000013', 'NORTHWIND', 'X')
    """
    ident = (ident or "").strip()
    return f"{qualifier.strip()}:{ident}" if qualifier and qualifier.strip() else ident


def ids_match(edi_ids: Iterable[str], qualifier: str | None, sender: str) -> bool:
    """Whether ``qualifier``/``sender`` is one of ``edi_ids`` (an id without qualifier
    matches any qualifier).

    >>> ids_match(["14:541"], "14", "541"), ids_match(["14:541"], "ZZ", "541")
    (True, False)
    >>> ids_match(["541"], "ZZ", "541")
    True
    """
    sender = sender.strip()
    for wanted in edi_ids:
        q, sep, ident = wanted.rpartition(":")
        if sep and q and ident:
            if ident.strip() == sender and (qualifier or "").strip() == q.strip():
                return True
        elif wanted.strip() == sender:
            return True
    return False


def owner_of(config: GatewayConfig, qualifier: str | None, sender: str) -> str | None:
    """The partner whose ``edi_ids`` hold this sender, if any."""
    for pid, p in config.partners.items():
        if ids_match(p.edi_ids, qualifier, sender):
            return pid
    return None


def check_sender(
    config: GatewayConfig,
    partner_id: str,
    fmt: SourceFormat,
    qualifier: str | None,
    sender: str | None,
) -> None:
    """Refuse an interchange whose sender is not one of ``partner_id``'s ``edi_ids``."""
    partner = config.partner(partner_id)
    shown = edi_id(qualifier, sender)
    head = "UNB" if fmt is SourceFormat.EDIFACT else "ISA"
    if not sender or not sender.strip():
        raise SenderRefused(
            f"the interchange names no sender ({head} sender id is empty)", fmt.value
        )
    if ids_match(partner.edi_ids, qualifier, sender):
        return
    owner = owner_of(config, qualifier, sender)
    if owner is not None:
        why = f"that id belongs to partner {owner!r}"
    elif not partner.edi_ids:
        why = f"partner {partner_id!r} has no edi_ids in gateway.toml"
    else:
        why = f"partner {partner_id!r} may send as {', '.join(partner.edi_ids)} only"
    raise SenderRefused(
        f"interchange sender {shown} ({head}) is not one of the sender ids agreed for this "
        "channel; refused so that no one orders in another's name",
        fmt.value,
        admin_detail=why,
    )


def check_application_sender(
    config: GatewayConfig, partner_id: str, code: str, location: object
) -> None:
    """Refuse an X12 functional group whose GS02 is not one of the partner's
    ``application_ids`` (none set: any GS02)."""
    partner = config.partner(partner_id)
    code = code.strip()
    if not partner.application_ids or code in partner.application_ids:
        return
    others = (pid for pid, p in config.partners.items() if pid != partner_id)
    owner = next((pid for pid in others if code in config.partner(pid).application_ids), None)
    if owner is not None:
        why = f"that code belongs to partner {owner!r}"
    else:
        why = f"partner {partner_id!r} sends as {', '.join(partner.application_ids)} only"
    raise SenderRefused(
        f"{location}: functional group sender {code!r} (GS02) is not one of the "
        "application sender codes agreed for this channel; refused so that no one orders "
        "in another's name",
        SourceFormat.X12.value,
        admin_detail=why,
    )


def addressed_to_us(receiver_ids: Iterable[str], qualifier: str | None, recipient: str) -> bool:
    """Whether an interchange's recipient is one of ``[supplier] receiver_ids`` (none set:
    every interchange is for us).

    >>> addressed_to_us([], "ZZ", "ANYONE"), addressed_to_us(["14:301"], "14", "301")
    (True, True)
    >>> addressed_to_us(["14:301"], "14", "999")
    False
    """
    ids = list(receiver_ids)
    return not ids or ids_match(ids, qualifier, recipient)


__all__ = [
    "SenderRefused",
    "addressed_to_us",
    "check_application_sender",
    "check_sender",
    "edi_id",
    "ids_match",
    "owner_of",
]
