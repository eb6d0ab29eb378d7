"""EDI in the pipeline: who sent the interchange, and the EDIFACT / X12 replies.

* A partner's ``edi_ids`` list the interchange sender ids that are its own
  (``"id"`` or ``"qualifier:id"``). A file whose UNB / ISA sender belongs to another
  partner, or to none, is refused: no one orders in another's name by dropping a file
  in their folder.
* Syntax acknowledgements (CONTRL per interchange; 997 per functional group, and a
  TA1 per interchange that asks for one or whose envelope is wrong) answer what was
  *received*; order responses (ORDRSP, 855) answer each stored order.
* Control numbers are per partner, persisted, never reused (:func:`next_control`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.edi.acknowledgments import EdiReply, received_acknowledgments, reconcile, record_sent
from gateway.config.settings import GatewayConfig, PartnerConfig
from gateway.intake.read import ReadOutcome, SenderRefused
from gateway.logs import log_fields
from gateway.replies.responses import ReplyContext
from gateway.store.models import ControlNumber, Order
from parsers import edifact, x12
from parsers.document import OrderResponse, ReadResult, SourceFormat
from parsers.edifact import ServiceChars, parse_una
from parsers.x12 import Delimiters

log = logging.getLogger("gateway.edi.legacy")


# --- who sent it ---------------------------------------------------------------------------
def edi_id(qualifier: str | None, ident: str | None) -> str:
    """An interchange party as ``edi_ids`` write it: ``qualifier:id``, or ``id`` alone."""
    ident = (ident or "").strip()
    return f"{qualifier.strip()}:{ident}" if qualifier and qualifier.strip() else ident


def ids_match(edi_ids: Iterable[str], qualifier: str | None, sender: str) -> bool:
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
        f"interchange sender {shown} ({head}) is not one of partner {partner_id!r}'s ids: {why}; "
        "refused so that no one orders in another's name",
        fmt.value,
    )


def check_application_sender(
    config: GatewayConfig, partner_id: str, group: x12.GroupReport
) -> None:
    """Refuse a functional group whose GS02 is not one of the partner's ``application_ids``."""
    partner = config.partner(partner_id)
    code = group.application_sender.strip()
    if not partner.application_ids or code in partner.application_ids:
        return
    others = (pid for pid, p in config.partners.items() if pid != partner_id)
    owner = next((pid for pid in others if code in config.partner(pid).application_ids), None)
    if owner is not None:
        why = f"that code belongs to partner {owner!r}"
    else:
        why = f"partner {partner_id!r} sends as {', '.join(partner.application_ids)} only"
    raise SenderRefused(
        f"{group.location}: functional group sender {code!r} (GS02) is not among the "
        f"application_ids of partner {partner_id!r}: {why}; refused so that no one orders "
        "in another's name",
        SourceFormat.X12.value,
    )


def read_edi(fmt: SourceFormat, data: bytes, partner_id: str, config: GatewayConfig) -> ReadOutcome:
    if fmt is SourceFormat.EDIFACT:
        result = edifact.read(data)
        for ic in result.interchanges:
            check_sender(config, partner_id, fmt, ic.sender_qualifier, ic.sender_id)
        by_ref = {ic.control_ref: ic for ic in result.interchanges}
        for doc in result.documents:
            ic = by_ref.get(doc.envelope.interchange_ref)
            if ic is not None:
                doc.envelope.service_string = ic.service_chars.una()
                doc.envelope.syntax = f"{ic.syntax_identifier or 'UNOC'}:{ic.syntax_version or '3'}"
        problems = [f"{i.text}" for ic in result.interchanges for i in ic.all_errors]
    else:
        result = x12.read(data)
        for ic in result.interchanges:
            check_sender(config, partner_id, fmt, ic.sender_qualifier, ic.sender_id)
            for group in ic.groups:
                check_application_sender(config, partner_id, group)
        by_ref = {ic.control_number: ic for ic in result.interchanges}
        for doc in result.documents:
            ic = by_ref.get(doc.envelope.interchange_ref)
            if ic is not None:
                d = ic.delimiters
                doc.envelope.service_string = (
                    f"{d.element}{d.component}{d.segment}{d.repetition or ''}"
                )
                doc.envelope.syntax = ic.version
        problems = result.problems()
    reason = None
    if not result.documents:
        acks = received_acknowledgments(result)
        if acks and all(ic.only_acknowledgments for ic in result.interchanges):
            reason = f"acknowledgments only, not answered: {'; '.join(acks[:5])}"
        else:
            detail = "; ".join(problems[:5]) if problems else "it holds no order message"
            reason = f"no order could be read from the file: {detail}"
    return ReadOutcome(
        fmt, result.documents, result, reason=reason, warnings=list(result.warnings) + problems
    )


# --- acknowledgments received (see gateway.edi.acknowledgments) ----------------------------------
# An acknowledgment is never acknowledged: answering a CONTRL with a CONTRL, or a 997
# with a 997, is how two translators end up acknowledging each other without end.


def _reconcile_acknowledgments(ctx: ReplyContext, result: ReadResult) -> None:
    """Match what the partner says of what we sent, and log it; a rejection is a warning."""
    for verdict in reconcile(ctx.session, ctx.partner_id, result, ctx.now):
        about = ", ".join(verdict.matched) if verdict.matched else "matches nothing we sent"
        (log.info if verdict.accepted else log.warning)(
            "acknowledgment received partner=%s file=%s: %s — %s",
            ctx.partner_id,
            ctx.inbound.name,
            verdict.text,
            about,
            **log_fields(ctx.partner_id, ctx.inbound.name),
        )


# --- control numbers -------------------------------------------------------------------------
def next_control(session: Session, partner_id: str, kind: str) -> int:
    """The next number of ``kind`` for ``partner_id``; committed with the message using it."""
    row = session.scalar(
        select(ControlNumber)
        .where(ControlNumber.partner == partner_id, ControlNumber.kind == kind)
        .with_for_update()
    )
    if row is None:
        row = ControlNumber(partner=partner_id, kind=kind, last=0)
        session.add(row)
    row.last += 1
    session.flush()
    return row.last


# --- replies ---------------------------------------------------------------------------------
def _recipient(partner: PartnerConfig, response: OrderResponse) -> tuple[str, str | None]:
    env = response.envelope
    if env.sender_id:
        return env.sender_id, env.sender_qualifier
    if partner.edi_ids:
        q, sep, ident = partner.edi_ids[0].rpartition(":")
        return (ident, q) if sep else (partner.edi_ids[0], None)
    return "UNKNOWN", None


def _service_chars(response: OrderResponse) -> ServiceChars | None:
    s = response.envelope.service_string
    if s and s.startswith("UNA") and len(s) >= 9:
        return parse_una(s[:9])
    return None


def _x12_delimiters(response: OrderResponse) -> Delimiters:
    s = response.envelope.service_string
    if response.envelope.message_type == "850" and s and len(s) >= 3:
        return Delimiters(
            element=s[0], component=s[1], segment=s[2], repetition=s[3] if len(s) > 3 else None
        )
    return Delimiters()


def ordrsp_reply(
    session: Session,
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    when: datetime,
) -> EdiReply:
    partner = config.partner(partner_id)
    icr = next_control(session, partner_id, "edifact_interchange")
    mref = next_control(session, partner_id, "edifact_message")
    rid, rq = _recipient(partner, response)
    syntax, _, version = (response.envelope.syntax or "UNOC:3").partition(":")
    if response.envelope.message_type and not response.envelope.message_type.startswith("ORDERS"):
        syntax, version = "UNOC", "3"
    data = edifact.write_ordrsp(
        response,
        sender_id=config.supplier.edi_id,
        sender_qualifier=config.supplier.edi_qualifier,
        recipient_id=rid,
        recipient_qualifier=rq,
        interchange_ref=str(icr),
        message_ref=str(mref),
        when=when,
        syntax=syntax or "UNOC",
        syntax_version=version or "3",
        service_chars=_service_chars(response),
        line_breaks=True,
    )
    name = f"ORDRSP_{_safe(response.order_number)}_{icr}.edi"
    return EdiReply(name, data, str(icr), None, str(mref))


def x855_reply(
    session: Session,
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    when: datetime,
) -> EdiReply:
    partner = config.partner(partner_id)
    isa = next_control(session, partner_id, "x12_interchange")
    gs = next_control(session, partner_id, "x12_group")
    st = next_control(session, partner_id, "x12_set")
    rid, rq = _recipient(partner, response)
    version = response.envelope.syntax if response.envelope.message_type == "850" else None
    data = x12.write_855(
        response,
        sender_id=config.supplier.edi_id,
        sender_qualifier=config.supplier.edi_qualifier,
        receiver_id=rid,
        receiver_qualifier=rq or "ZZ",
        interchange_control=isa,
        group_control=gs,
        set_control=st,
        when=when,
        delimiters=_x12_delimiters(response),
        version=version or "00401",
    )
    name = f"855_{_safe(response.order_number)}_{isa}.x12"
    return EdiReply(name, data, f"{isa:09d}", str(gs), f"{st:04d}")


def _safe(text: str | None) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in (text or "order"))[:40]


def queue_edi_replies(
    ctx: ReplyContext,
    orders: list[Order],
    responses: list[OrderResponse],
    read: ReadOutcome,
    formats: list[SourceFormat],
) -> None:
    s, cfg, pid = ctx.session, ctx.ws.config, ctx.partner_id
    partner = ctx.partner
    result = read.result
    _reconcile_acknowledgments(ctx, result)
    if read.format is SourceFormat.EDIFACT and partner.functional_acks:
        for ic in result.interchanges:  # type: ignore[attr-defined]
            if not ic.sender_id or ic.only_acknowledgments:
                continue
            icr = next_control(s, pid, "edifact_interchange")
            mref = next_control(s, pid, "edifact_message")
            data = edifact.write_contrl(
                ic,
                sender_id=cfg.supplier.edi_id,
                sender_qualifier=cfg.supplier.edi_qualifier,
                interchange_ref=str(icr),
                message_ref=str(mref),
                when=ctx.now,
                line_breaks=True,
            )
            _queue(ctx, "contrl", SourceFormat.EDIFACT, EdiReply(
                f"CONTRL_{_safe(ic.control_ref)}_{icr}.edi", data, str(icr), None, str(mref)
            ))  # fmt: skip
    if read.format is SourceFormat.X12 and partner.functional_acks:
        for ic in result.interchanges:  # type: ignore[attr-defined]
            if ic.only_acknowledgments:
                continue
            # A TA1 when the sender asked for one (ISA14 = 1), and whenever the envelope
            # around the groups is wrong, which no 997 can say.
            if ic.ack_requested or ic.errors:
                isa = next_control(s, pid, "x12_interchange")
                data = x12.write_ta1(
                    ic,
                    sender_id=cfg.supplier.edi_id,
                    sender_qualifier=cfg.supplier.edi_qualifier,
                    interchange_control=isa,
                    when=ctx.now,
                )
                name = f"TA1_{_safe(ic.control_number)}_{isa}.x12"
                _queue(ctx, "ta1", SourceFormat.X12, EdiReply(name, data, f"{isa:09d}"))
            if x12.ta1_verdict(ic)[0] is x12.InterchangeAckCode.REJECTED:
                continue  # refused whole (see gateway.edi.admission): the TA1 says why
            for group in ic.groups:
                if group.only_acknowledgments:
                    continue  # a group of 997s beside orders: the orders' group is answered
                isa = next_control(s, pid, "x12_interchange")
                gs = next_control(s, pid, "x12_group")
                st = next_control(s, pid, "x12_set")
                data = x12.write_997(
                    ic,
                    group,
                    sender_id=cfg.supplier.edi_id,
                    sender_qualifier=cfg.supplier.edi_qualifier,
                    interchange_control=isa,
                    group_control=gs,
                    set_control=st,
                    when=ctx.now,
                )
                name = f"997_{_safe(group.control_number)}_{isa}.x12"
                reply = EdiReply(name, data, f"{isa:09d}", str(gs), f"{st:04d}")
                _queue(ctx, "997", SourceFormat.X12, reply)
    for order, response in zip(orders, responses, strict=True):
        if SourceFormat.EDIFACT in formats:
            reply = ordrsp_reply(s, cfg, pid, response, ctx.now)
            _queue(ctx, "ordrsp", SourceFormat.EDIFACT, reply, order_id=order.id)
        if SourceFormat.X12 in formats and response.order_number:
            reply = x855_reply(s, cfg, pid, response, ctx.now)
            _queue(ctx, "855", SourceFormat.X12, reply, order_id=order.id)


def _queue(
    ctx: ReplyContext, kind: str, fmt: SourceFormat, reply: EdiReply, order_id: int | None = None
) -> None:
    message = ctx.queue(kind, reply.name, reply.data, order_id=order_id)
    record_sent(ctx.session, message, fmt, reply)
