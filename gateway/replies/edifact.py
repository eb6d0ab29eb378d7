"""EDIFACT replies: a CONTRL per received interchange, EANCOM ORDRSP and DESADV per order.

The envelope answers the one received: the partner's service characters (its UNA) and
what it writes after each terminator, its syntax level, its interchange id as recipient
and the id it addressed us by as sender, exactly as written; control references are
ours, per partner.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from gateway.config.settings import GatewayConfig
from gateway.edi.acknowledgments import EdiReply
from gateway.edi.control_numbers import ControlKind, next_control
from gateway.replies.names import contrl_name, desadv_name, ordrsp_name
from gateway.replies.outbox import MessageKind, ReplyContext
from gateway.replies.responses import edi_recipient, our_edi_id
from parsers import edifact
from parsers.document import OrderResponse, SourceFormat
from parsers.edifact import ServiceChars, parse_una
from parsers.edifact.desadv import Shipment, write_desadv


def _service_chars(response: OrderResponse) -> ServiceChars | None:
    s = response.envelope.service_string
    if s and s.startswith("UNA") and len(s) >= 9:
        return parse_una(s[:9])
    return None


def _envelope(config: GatewayConfig, partner_id: str, response: OrderResponse) -> dict[str, Any]:
    """The keyword arguments every EDIFACT writer takes to answer ``response``'s order."""
    env = response.envelope
    rid, rq = edi_recipient(config.partner(partner_id), response)
    sid, sq = our_edi_id(config, env.recipient_qualifier, env.recipient_id)
    syntax, _, version = (env.syntax or "UNOC:3").partition(":")
    if env.message_type and not env.message_type.startswith(("ORDERS", "ORDCHG")):
        syntax, version = "UNOC", "3"
    return {
        "sender_id": sid,
        "sender_qualifier": sq,
        "recipient_id": rid,
        "recipient_qualifier": rq,
        "syntax": syntax or "UNOC",
        "syntax_version": version or "3",
        "service_chars": _service_chars(response),
        "line_ending": "\n" if env.line_ending is None else env.line_ending,
    }


def ordrsp_bytes(
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    when: datetime,
    *,
    interchange_ref: str,
    message_ref: str,
) -> bytes:
    return edifact.write_ordrsp(
        response,
        interchange_ref=interchange_ref,
        message_ref=message_ref,
        when=when,
        **_envelope(config, partner_id, response),
    )


def ordrsp_reply(
    session: Session,
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    when: datetime,
) -> EdiReply:
    """An ORDRSP about one order, with the next control references of ``partner_id``."""
    icr = next_control(session, partner_id, ControlKind.EDIFACT_INTERCHANGE)
    mref = next_control(session, partner_id, ControlKind.EDIFACT_MESSAGE)
    data = ordrsp_bytes(
        config, partner_id, response, when, interchange_ref=str(icr), message_ref=str(mref)
    )
    return EdiReply(ordrsp_name(response.order_number, icr), data, str(icr), None, str(mref))


def desadv_reply(
    session: Session,
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    shipment: Shipment,
    when: datetime,
) -> EdiReply:
    """A DESADV announcing one shipment of an order."""
    icr = next_control(session, partner_id, ControlKind.EDIFACT_INTERCHANGE)
    mref = next_control(session, partner_id, ControlKind.EDIFACT_MESSAGE)
    data = write_desadv(
        response,
        shipment,
        interchange_ref=str(icr),
        message_ref=str(mref),
        when=when,
        **_envelope(config, partner_id, response),
    )
    return EdiReply(
        desadv_name(response.order_number, shipment.number, icr), data, str(icr), None, str(mref)
    )


def queue_contrls(ctx: ReplyContext, result: edifact.EdifactReadResult) -> None:
    """A CONTRL for every interchange received, except one of acknowledgments only."""
    s, cfg, pid = ctx.session, ctx.ws.config, ctx.partner_id
    for ic in result.interchanges:
        if not ic.sender_id or ic.only_acknowledgments:
            continue
        icr = next_control(s, pid, ControlKind.EDIFACT_INTERCHANGE)
        mref = next_control(s, pid, ControlKind.EDIFACT_MESSAGE)
        sid, sq = our_edi_id(cfg, ic.recipient_qualifier, ic.recipient_id)
        data = edifact.write_contrl(
            ic,
            sender_id=sid,
            sender_qualifier=sq,
            interchange_ref=str(icr),
            message_ref=str(mref),
            when=ctx.now,
            line_ending=ic.line_ending,
        )
        reply = EdiReply(contrl_name(ic.control_ref, icr), data, str(icr), None, str(mref))
        ctx.queue_edi(MessageKind.CONTRL, SourceFormat.EDIFACT, reply)


__all__ = ["desadv_reply", "ordrsp_bytes", "ordrsp_reply", "queue_contrls"]
