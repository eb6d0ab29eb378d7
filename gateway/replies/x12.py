"""X12 replies: a TA1 when asked for (or when the envelope is wrong), a 997 per received
functional group, an 855 per order, an 865 per buyer's change, an 856 per shipment.

The envelope answers the one received: the partner's delimiters and line ending, the
version of the group it sent (GS08) and of its ISA (ISA12), its ISA id as receiver and
the one it addressed us by as sender, its GS02 as our GS03 and its GS03 as our GS02;
control numbers are ours, per partner.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from gateway.config.settings import GatewayConfig
from gateway.edi.acknowledgments import EdiReply
from gateway.edi.control_numbers import ControlKind, next_control
from gateway.replies.names import (
    fa_997_name,
    po_ack_855_name,
    po_change_ack_865_name,
    ship_notice_856_name,
    ta1_name,
)
from gateway.replies.outbox import MessageKind, ReplyContext
from gateway.replies.responses import edi_recipient, our_edi_id
from parsers import x12
from parsers.document import OrderResponse, Shipment, SourceFormat
from parsers.x12 import Delimiters
from parsers.x12.envelope import valid_isa12

_X12_SETS = ("850", "860")


def _delimiters(response: OrderResponse) -> Delimiters:
    env = response.envelope
    s = env.service_string
    if env.message_type in _X12_SETS and s and len(s) >= 3:
        return Delimiters.from_service_string(s, env.line_ending)
    return Delimiters()


def _envelope(config: GatewayConfig, partner_id: str, response: OrderResponse) -> dict[str, Any]:
    """The keyword arguments every X12 writer takes to answer ``response``'s order."""
    env = response.envelope
    ours = env.message_type in _X12_SETS
    rid, rq = edi_recipient(config.partner(partner_id), response)
    sid, sq = our_edi_id(config, env.recipient_qualifier, env.recipient_id)
    isa12 = env.syntax if ours and env.syntax and valid_isa12(env.syntax) else None
    gs08 = env.version if ours and env.version and env.version[:6].isdigit() else None
    return {
        "sender_id": sid,
        "sender_qualifier": sq or "ZZ",
        "receiver_id": rid,
        "receiver_qualifier": rq or "ZZ",
        "delimiters": _delimiters(response),
        "version": gs08 or isa12 or "00401",
        "interchange_version": isa12,
        "application_sender": (env.application_recipient or None) if ours else None,
        "application_receiver": (env.application_sender or None) if ours else None,
    }


def _reply(
    session: Session,
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    when: datetime,
    write: Callable[..., bytes],
    name: Callable[[int], str],
) -> EdiReply:
    """``write(**envelope)`` with the next control numbers of ``partner_id``."""
    isa = next_control(session, partner_id, ControlKind.X12_INTERCHANGE)
    gs = next_control(session, partner_id, ControlKind.X12_GROUP)
    st = next_control(session, partner_id, ControlKind.X12_SET)
    data = write(
        interchange_control=isa,
        group_control=gs,
        set_control=st,
        when=when,
        **_envelope(config, partner_id, response),
    )
    return EdiReply(name(isa), data, f"{isa:09d}", str(gs), f"{st:04d}")


def x855_bytes(
    config: GatewayConfig, partner_id: str, response: OrderResponse, when: datetime
) -> bytes:
    """The 855 with neutral control numbers (what the partner would read, for comparing)."""
    return x12.write_855(
        response,
        interchange_control=1,
        group_control=1,
        set_control=1,
        when=when,
        **_envelope(config, partner_id, response),
    )


def x855_reply(
    session: Session, config: GatewayConfig, partner_id: str, response: OrderResponse,
    when: datetime,
) -> EdiReply:  # fmt: skip
    """An 855 about one order, with the next control numbers of ``partner_id``."""
    return _reply(
        session, config, partner_id, response, when, partial(x12.write_855, response),
        partial(po_ack_855_name, response.order_number),
    )  # fmt: skip


def x865_reply(
    session: Session, config: GatewayConfig, partner_id: str, response: OrderResponse,
    when: datetime,
) -> EdiReply:  # fmt: skip
    """An 865 saying which of the buyer's changes were applied."""
    return _reply(
        session, config, partner_id, response, when, partial(x12.write_865, response),
        partial(po_change_ack_865_name, response.order_number),
    )  # fmt: skip


def x856_reply(
    session: Session, config: GatewayConfig, partner_id: str, response: OrderResponse,
    shipment: Shipment, when: datetime,
) -> EdiReply:  # fmt: skip
    """An 856 announcing one shipment."""
    return _reply(
        session, config, partner_id, response, when,
        partial(x12.write_856, response, shipment),
        partial(ship_notice_856_name, response.order_number, shipment.number),
    )  # fmt: skip


def queue_x12_acks(ctx: ReplyContext, result: x12.X12ReadResult) -> None:
    """TA1s and 997s for what was received (never for acknowledgments themselves)."""
    s, cfg, pid = ctx.session, ctx.ws.config, ctx.partner_id
    for ic in result.interchanges:
        if ic.only_acknowledgments:
            continue
        sid, sq = our_edi_id(cfg, ic.recipient_qualifier, ic.recipient_id)
        # A TA1 when the sender asked for one (ISA14 = 1), and whenever the envelope
        # around the groups is wrong, which no 997 can say.
        if ic.ack_requested or ic.errors:
            isa = next_control(s, pid, ControlKind.X12_INTERCHANGE)
            data = x12.write_ta1(
                ic, sender_id=sid, sender_qualifier=sq or "ZZ", interchange_control=isa,
                when=ctx.now,
            )  # fmt: skip
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
                sender_id=sid,
                sender_qualifier=sq or "ZZ",
                interchange_control=isa,
                group_control=gs,
                set_control=st,
                when=ctx.now,
                application_sender=group.application_receiver or None,
            )
            name = fa_997_name(group.control_number, isa)
            reply = EdiReply(name, data, f"{isa:09d}", str(gs), f"{st:04d}")
            ctx.queue_edi(MessageKind.FA_997, SourceFormat.X12, reply)


__all__ = [
    "queue_x12_acks",
    "x855_bytes",
    "x855_reply",
    "x856_reply",
    "x865_reply",
]
