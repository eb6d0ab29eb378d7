"""The transactional outbox: replies are queued with the work they answer, written after.

Everything the gateway sends is an :class:`OutgoingMessage` row added in the same
transaction as the orders, events or files it speaks of, so a reply exists exactly when
what it answers was committed. :func:`outbox_transaction` is the one way to do that: it
opens the transaction, hands out an :class:`Outbox` to queue on, commits, then writes
exactly the messages it queued (:mod:`gateway.replies.dispatch`). A crash between the
commit and the write leaves them unsent, and the next sweep sends them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from gateway.config.settings import PartnerConfig
from gateway.edi.acknowledgments import EdiReply, record_sent
from gateway.replies.dispatch import dispatch_committed, held_marks, mark_sent, writer_of
from gateway.replies.routes import defer_dispatch
from gateway.store.models import InboundFile, OutgoingMessage
from gateway.store.rows import insert_now
from gateway.workspace import Workspace
from parsers.document import ReadResult, SourceFormat


class MessageKind(StrEnum):
    """What an outgoing message is (stored in ``outgoing_messages.kind``)."""

    ACK = "ack"  # line acknowledgement of a spreadsheet file
    FILE_ERROR = "file_error"  # a file that could not be read
    DUPLICATE_NOTICE = "duplicate_notice"  # a file repeating one already processed
    RECEIVED_NOTICE = "received_notice"  # a file that failed on our side: being looked at
    FAILURE_REPORT = "failure_report"  # admin: why a file failed on our side
    REJECTION_REPORT = "rejection_report"  # admin: a file's rejected lines
    CONTRL = "contrl"
    TA1 = "ta1"
    FA_997 = "997"
    ORDRSP = "ordrsp"
    PO_ACK_855 = "855"
    PO_CHANGE_ACK_865 = "865"  # the answer to a buyer's change (X12)
    DESADV = "desadv"  # EANCOM despatch advice of one shipment
    SHIP_NOTICE_856 = "856"  # X12 ship notice of one shipment
    REFUSAL = "refusal"  # admin: why an EDI file was refused whole
    STATUS = "status"  # spreadsheet status report after a change
    DIGEST = "digest"
    FEED_RESULT = "feed_result"  # admin: what an ERP feed file did


class Audience(StrEnum):
    """Who reads a message, and so where it goes."""

    PARTNER = "partner"  # the partner's outbox
    ADMIN = "admin"  # the workspace's reports folder


@dataclass
class Outbox:
    """Messages queued in one transaction; :attr:`written` once it committed."""

    ws: Workspace
    session: Session
    now: datetime
    queued: list[OutgoingMessage] = field(default_factory=list)
    #: Where each queued message was written, after the commit (none listed when a
    #: writer thread writes them: :mod:`gateway.replies.writer`)
    written: list[Path] = field(default_factory=list)

    def queue(
        self,
        partner_id: str,
        kind: MessageKind,
        filename: str,
        content: bytes,
        *,
        audience: Audience = Audience.PARTNER,
        order_id: int | None = None,
        inbound_file_id: int | None = None,
        destination: Path | None = None,
    ) -> OutgoingMessage:
        if destination is None:
            destination = (
                self.ws.outbox(partner_id)
                if audience is Audience.PARTNER
                else self.ws.reports_dir(partner_id)
            )
        msg = OutgoingMessage(
            partner=partner_id,
            order_id=order_id,
            inbound_file_id=inbound_file_id,
            kind=kind.value,
            audience=audience.value,
            destination=str(destination),
            filename=filename,
            content=content,
            created_at=self.now,
        )
        insert_now(self.session, msg)  # its id now: no flush of its own before the commit
        self.queued.append(msg)
        return msg

    def queue_edi(
        self,
        partner_id: str,
        kind: MessageKind,
        fmt: SourceFormat,
        reply: EdiReply,
        *,
        order_id: int | None = None,
        inbound_file_id: int | None = None,
    ) -> OutgoingMessage:
        """Queue an EDI message and record its control references, so that the partner's
        acknowledgment of it can be matched (:mod:`gateway.edi.acknowledgments`)."""
        msg = self.queue(
            partner_id,
            kind,
            reply.name,
            reply.data,
            order_id=order_id,
            inbound_file_id=inbound_file_id,
        )
        record_sent(self.session, msg, fmt, reply)
        return msg


@contextmanager
def outbox_transaction(ws: Workspace, now: datetime | None = None) -> Iterator[Outbox]:
    """One write transaction; after it commits, the messages queued in it are written.

    >>> with outbox_transaction(ws) as box:                     # doctest: +SKIP
    ...     box.queue("acme", MessageKind.STATUS, "STATUS_1.csv", data)
    >>> box.written                                             # doctest: +SKIP
    [PosixPath('.../outbox/acme/STATUS_1.csv')]

    Within :func:`~gateway.replies.dispatch.marking_later`, the replies written after
    the previous one are marked sent in this transaction, and this one's wait for the
    next; within :func:`~gateway.replies.writer.writing_behind` they are handed to its
    writer thread instead. An exception inside rolls everything back and writes nothing.
    In cluster mode the messages are not written here: their ``dispatch`` jobs are
    deferred in the same transaction (:mod:`gateway.replies.routes`), and a worker of the
    right node sends them.
    """
    held = held_marks(ws)
    carried = list(held) if held else []
    with ws.sessions.begin() as session:
        box = Outbox(ws, session, now or datetime.now(UTC))
        yield box
        if ws.cluster and box.queued:
            defer_dispatch(ws, session, box.queued)
        # The replies written after the previous commit ride on this one (marking_later).
        mark_sent(session, carried)
    if held is not None and carried:
        del held[: len(carried)]
    if ws.cluster:
        return
    if (writer := writer_of(ws)) is not None:
        # Written behind (writing_behind): not listed in box.written, marked when written.
        writer.hand(box.queued)
    else:
        box.written = dispatch_committed(ws.sessions, box.queued, mark_later=held)


@dataclass
class ReplyContext:
    """What the reply writers need about the one received file they answer."""

    outbox: Outbox
    partner_id: str
    partner: PartnerConfig
    inbound: InboundFile
    #: The format the file came in (None: it could not be read)
    source: SourceFormat | None = None
    #: The reader's result (CSV dialect, EDI interchange reports…)
    read_result: ReadResult | None = None

    @property
    def session(self) -> Session:
        return self.outbox.session

    @property
    def ws(self) -> Workspace:
        return self.outbox.ws

    @property
    def now(self) -> datetime:
        return self.outbox.now

    def queue(
        self,
        kind: MessageKind,
        filename: str,
        content: bytes,
        *,
        audience: Audience = Audience.PARTNER,
        order_id: int | None = None,
    ) -> OutgoingMessage:
        return self.outbox.queue(
            self.partner_id,
            kind,
            filename,
            content,
            audience=audience,
            order_id=order_id,
            inbound_file_id=self.inbound.id,
        )

    def queue_edi(
        self, kind: MessageKind, fmt: SourceFormat, reply: EdiReply, *, order_id: int | None = None
    ) -> OutgoingMessage:
        return self.outbox.queue_edi(
            self.partner_id, kind, fmt, reply, order_id=order_id, inbound_file_id=self.inbound.id
        )


__all__ = ["Audience", "MessageKind", "Outbox", "ReplyContext", "outbox_transaction"]
