"""Sending a reply again, when a partner lost it or asks for it once more.

The very message is delivered again — same name, same bytes, same EDI control
references (a partner's translator recognises a resent interchange as the one it had) —
to the partner's outbox, and for an SFTP partner uploaded again. Who asked is recorded.
A reply still waiting in the outbox unread is left there: it is already on offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gateway.errors import NotFound, Refused
from gateway.replies.dispatch import deliver
from gateway.replies.outbox import Audience
from gateway.store.actions import record_action
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace


class UnknownMessage(NotFound):
    """No reply has that id."""


class ResendRefused(Refused):
    """This message is not sent to a partner; it cannot be resent."""


@dataclass
class ResendReport:
    message_id: int
    partner: str
    filename: str
    #: Where the reply is offered now
    path: Path
    #: False when it was still waiting unread in the outbox
    written: bool
    #: An SFTP partner's copy will be uploaded again by the running gateway
    upload_again: bool

    @property
    def message(self) -> str:
        if not self.written:
            return f"{self.filename} is still waiting unread in {self.partner}'s outbox"
        again = " and will be uploaded again" if self.upload_again else ""
        return f"{self.filename} written again to {self.partner}'s outbox{again}"


def resend_message(
    ws: Workspace, message_id: int, *, actor: str, partner: str | None = None
) -> ResendReport:
    """Deliver reply ``message_id`` again; ``partner``: only one of that partner's."""
    now = datetime.now(UTC)
    with ws.sessions.begin() as s:
        msg = s.get(OutgoingMessage, message_id, with_for_update=True)
        if msg is None or (partner is not None and msg.partner != partner):
            raise UnknownMessage(f"no reply #{message_id}")
        if msg.audience != Audience.PARTNER.value:
            raise ResendRefused(
                f"message #{message_id} ({msg.filename}) is a report for admins, not a reply "
                "to a partner; it is in the reports folder"
            )
        target = Path(msg.destination) / msg.filename
        waiting = target.is_file() and target.read_bytes() == msg.content
        if not waiting:
            target = deliver(msg)
        sftp = ws.partner(msg.partner).channel == "sftp"
        if sftp and not waiting:
            msg.uploaded_at = None  # the partner's uploader sends it again
        msg.sent_at = msg.sent_at or now
        record_action(
            s, actor, "resend", f"message {msg.id}",
            {"partner": msg.partner, "file": msg.filename, "written": not waiting},
            now=now,
        )  # fmt: skip
        return ResendReport(msg.id, msg.partner, msg.filename, target, not waiting, sftp)


__all__ = ["ResendRefused", "ResendReport", "UnknownMessage", "resend_message"]
