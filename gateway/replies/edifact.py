"""EDIFACT replies: a CONTRL per received interchange, an EANCOM ORDRSP per order.

The envelope answers the one received: the partner's service characters (its UNA), its
syntax level, its interchange id as recipient; control references are ours, per partner.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gateway.config.settings import GatewayConfig
from gateway.edi.acknowledgments import EdiReply
from gateway.edi.control_numbers import ControlKind, next_control
from gateway.replies.names import contrl_name, ordrsp_name
from gateway.replies.outbox import MessageKind, ReplyContext
from gateway.replies.responses import edi_recipient
from parsers import edifact
from parsers.document import OrderResponse, SourceFormat
from parsers.edifact import ServiceChars, parse_una


def _service_chars(response: OrderResponse) -> ServiceChars | None:
    s = response.envelope.service_string
    if s and s.startswith("UNA") and len(s) >= 9:
        return parse_una(s[:9])
    return None


def ordrsp_reply(
    session: Session,
    config: GatewayConfig,
    partner_id: str,
    response: OrderResponse,
    when: datetime,
) -> EdiReply:
    """An ORDRSP about one order, with the next control references of ``partner_id``."""
    partner = config.partner(partner_id)
    icr = next_control(session, partner_id, ControlKind.EDIFACT_INTERCHANGE)
    mref = next_control(session, partner_id, ControlKind.EDIFACT_MESSAGE)
    rid, rq = edi_recipient(partner, response)
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
    return EdiReply(ordrsp_name(response.order_number, icr), data, str(icr), None, str(mref))


def queue_contrls(ctx: ReplyContext, result: edifact.EdifactReadResult) -> None:
    """A CONTRL for every interchange received, except one of acknowledgments only."""
    s, cfg, pid = ctx.session, ctx.ws.config, ctx.partner_id
    for ic in result.interchanges:
        if not ic.sender_id or ic.only_acknowledgments:
            continue
        icr = next_control(s, pid, ControlKind.EDIFACT_INTERCHANGE)
        mref = next_control(s, pid, ControlKind.EDIFACT_MESSAGE)
        data = edifact.write_contrl(
            ic,
            sender_id=cfg.supplier.edi_id,
            sender_qualifier=cfg.supplier.edi_qualifier,
            interchange_ref=str(icr),
            message_ref=str(mref),
            when=ctx.now,
            line_breaks=True,
        )
        reply = EdiReply(contrl_name(ic.control_ref, icr), data, str(icr), None, str(mref))
        ctx.queue_edi(MessageKind.CONTRL, SourceFormat.EDIFACT, reply)


__all__ = ["ordrsp_reply", "queue_contrls"]
