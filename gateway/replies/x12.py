"""X12 replies: a TA1 when asked for (or when the envelope is wrong), a 997 per received
functional group, an 855 per order.

The envelope answers the one received: the partner's delimiters, its ISA id as receiver;
control numbers are ours, per partner.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gateway.config.settings import GatewayConfig
from gateway.edi.acknowledgments import EdiReply
from gateway.edi.control_numbers import ControlKind, next_control
from gateway.replies.names import fa_997_name, po_ack_855_name, ta1_name
from gateway.replies.outbox import MessageKind, ReplyContext
from gateway.replies.responses import edi_recipient
from parsers import x12
from parsers.document import OrderResponse, SourceFormat
from parsers.x12 import Delimiters


def _delimiters(response: OrderResponse) -> Delimiters:
    s = response.envelope.service_string
    if response.envelope.message_type == "850" and s and len(s) >= 3:
        return Delimiters(
            element=s[0], component=s[1], segment=s[2], repetition=s[3] if len(s) > 3 else None
        )
    return Delimiters()


def x855_reply(
    session: Session,
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    when: datetime,
) -> EdiReply:
    """An 855 about one order, with the next control numbers of ``partner_id``."""
    partner = config.partner(partner_id)
    isa = next_control(session, partner_id, ControlKind.X12_INTERCHANGE)
    gs = next_control(session, partner_id, ControlKind.X12_GROUP)
    st = next_control(session, partner_id, ControlKind.X12_SET)
    rid, rq = edi_recipient(partner, response)
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
        delimiters=_delimiters(response),
        version=version or "00401",
    )
    name = po_ack_855_name(response.order_number, isa)
    return EdiReply(name, data, f"{isa:09d}", str(gs), f"{st:04d}")


def queue_x12_acks(ctx: ReplyContext, result: x12.X12ReadResult) -> None:
    """TA1s and 997s for what was received (never for acknowledgments themselves)."""
    s, cfg, pid = ctx.session, ctx.ws.config, ctx.partner_id
    for ic in result.interchanges:
        if ic.only_acknowledgments:
            continue
        # A TA1 when the sender asked for one (ISA14 = 1), and whenever the envelope
        # around the groups is wrong, which no 997 can say.
        if ic.ack_requested or ic.errors:
            isa = next_control(s, pid, ControlKind.X12_INTERCHANGE)
            data = x12.write_ta1(
                ic,
                sender_id=cfg.supplier.edi_id,
                sender_qualifier=cfg.supplier.edi_qualifier,
                interchange_control=isa,
                when=ctx.now,
            )
            reply = EdiReply(ta1_name(ic.control_ref, isa), data, f"{isa:09d}")
            ctx.queue_edi(MessageKind.TA1, SourceFormat.X12, reply)
        if x12.ta1_verdict(ic)[0] is x12.InterchangeAckCode.REJECTED:
            continue  # refused whole (see gateway.edi.admission): the TA1 says why
        for group in ic.groups:
            if group.only_acknowledgments:
                continue  # a group of 997s beside orders: the orders' group is answered
            isa = next_control(s, pid, ControlKind.X12_INTERCHANGE)
            gs = next_control(s, pid, ControlKind.X12_GROUP)
            st = next_control(s, pid, ControlKind.X12_SET)
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
            name = fa_997_name(group.control_number, isa)
            reply = EdiReply(name, data, f"{isa:09d}", str(gs), f"{st:04d}")
            ctx.queue_edi(MessageKind.FA_997, SourceFormat.X12, reply)


__all__ = ["queue_x12_acks", "x855_reply"]
