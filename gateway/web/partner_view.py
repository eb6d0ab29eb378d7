"""A partner's own data as the partner may see it, for its portal pages and the API.

Only what belongs to the partner, and of that only what is the partner's business: the
order contract, each change's time and status (who acted is "you", "the supplier" or
"the gateway", never a person of ours), the replies it was sent. No internal path ever
leaves here. Anything else — another partner's id, an id that does not exist — is the
same :class:`~gateway.web.context.PageNotFound`.
"""

from __future__ import annotations

from typing import Any

from gateway.admin.files import show_file
from gateway.errors import NotFound
from gateway.orders.queries import get_order
from gateway.rules.lifecycle import ActorKind
from gateway.web.context import PageNotFound
from gateway.workspace import Workspace

#: Fields of a reply a partner sees
REPLY_FIELDS = ("id", "kind", "filename", "created_at", "sent_at", "acknowledgment",
                "acknowledgment_detail", "acknowledged_at")  # fmt: skip


def who(actor: str) -> str:
    """An event's actor in a partner's eyes.

    >>> who("partner:shop"), who("admin:marie"), who("erp"), who("system")
    ('partner', 'supplier', 'supplier', 'gateway')
    """
    kind = actor.split(":", 1)[0]
    if kind == ActorKind.PARTNER.value:
        return "partner"
    if kind == ActorKind.SYSTEM.value:
        return "gateway"
    return "supplier"


def _replies(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: r.get(k) for k in REPLY_FIELDS}
        for r in replies
        if r.get("audience", "partner") == "partner" and r["kind"] != "rejection_report"
    ]


def partner_order(ws: Workspace, order_id: int, partner: str) -> dict[str, Any]:
    order = get_order(ws, order_id)
    if order is None or order["partner"] != partner:
        raise PageNotFound()
    order["events"] = [
        {
            "at": e["at"],
            "kind": e["kind"],
            "from_status": e["from_status"],
            "to_status": e["to_status"],
            "by": who(e["actor"]),
            "reason": e["reason"],
        }  # fmt: skip
        for e in order["events"]
    ]
    order["replies"] = _replies(order.pop("file_replies") + order["replies"])
    order["files"] = [{"id": f["id"], "name": f["name"], "received_at": f["received_at"]}
                      for f in order["files"]]  # fmt: skip
    return order


def partner_file(ws: Workspace, file_id: int, partner: str) -> dict[str, Any]:
    try:
        f = show_file(ws, file_id)
    except NotFound:
        raise PageNotFound() from None
    if f["partner"] != partner:
        raise PageNotFound()
    orders = [partner_order(ws, o["id"], partner) for o in f["orders_made"]]
    return {
        "id": f["id"],
        "name": f["name"],
        "received_at": f["received_at"],
        "format": f["format"],
        "outcome": f["outcome"],
        "reason": f["reason"],
        "orders": orders,
        "replies": _replies(f["replies"]),
    }


__all__ = ["REPLY_FIELDS", "partner_file", "partner_order", "who"]
