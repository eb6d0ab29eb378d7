"""``inspect``: a dry run of the pipeline on one file — nothing stored, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gateway.config.mapping import load_mapping
from gateway.errors import Unreadable
from gateway.intake.evaluate import evaluate_document
from gateway.intake.read import read_file
from gateway.rules.lifecycle import OrderStatus
from gateway.rules.quantity import json_number
from gateway.rules.senders import SenderRefused
from gateway.workspace import Workspace
from parsers.errors import ParseError


class InspectFailed(Unreadable):
    """The file would be quarantined."""


def inspect_file(ws: Workspace, file: Path, partner_id: str | None) -> dict[str, Any]:
    if partner_id is None:
        if len(ws.config.partners) != 1:
            known = ", ".join(sorted(ws.config.partners)) or "none"
            raise InspectFailed(f"name the partner with --partner (configured: {known})")
        partner_id = next(iter(ws.config.partners))
    partner = ws.partner(partner_id)
    profile = load_mapping(ws.mappings_dir, partner.mapping)
    try:
        read = read_file(file.read_bytes(), file.name, partner_id, ws.config, profile)
    except (ParseError, SenderRefused) as exc:
        raise InspectFailed(str(exc)) from None
    orders = []
    with ws.read_sessions() as s:
        for doc in read.documents:
            ev = evaluate_document(s, doc, partner_id, partner, profile)
            if ev.usable:
                status = (
                    OrderStatus.VALIDATED
                    if partner.auto_validate
                    else OrderStatus.PENDING_VALIDATION
                )
            else:
                status = OrderStatus.REJECTED
            orders.append(
                {
                    "order_number": doc.order_number,
                    "customer": ev.who.customer.code if ev.who.customer else None,
                    "site": ev.who.site.code if ev.who.site else None,
                    "status": status.value,
                    "reason_code": ev.reason.value if ev.reason else None,
                    "reason": ev.message,
                    "comment": "\n".join(doc.notes) or None,
                    "lines": [
                        {
                            "line_no": r.line.line_no,
                            "source_line": r.line.location.line,
                            "barcode": r.line.barcode,
                            "supplier_ref": r.line.supplier_ref,
                            "customer_ref": r.line.customer_ref,
                            "name": r.line.name,
                            "sku": r.sku,
                            "ordered_quantity": json_number(r.line.quantity),
                            "quantity": json_number(r.quantity),
                            "confirmed_quantity": json_number(r.confirmed),
                            "outcome": r.outcome.value,
                            "reason_code": r.reason.value if r.reason else None,
                            "message": r.message,
                            "matched_by": r.matched_by.value if r.matched_by else None,
                            "confidence": r.confidence,
                            "suggestions": r.suggestions,
                            "hint": r.hint,
                        }
                        for r in ev.lines
                    ],
                }
            )
        s.rollback()
    return {
        "file": file.name,
        "partner": partner_id,
        "format": read.format.value,
        "warnings": read.warnings,
        "notes": read.notes,
        "orders": orders,
    }


__all__ = ["InspectFailed", "inspect_file"]
