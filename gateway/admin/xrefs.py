"""Learned cross-references as the admin manages them: add, list, remove."""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.catalog.xrefs import LearnedReference, list_xrefs, remove_xref, save_xref
from gateway.rules.xrefs import XrefKind, XrefScope
from gateway.workspace import Workspace


def add_xref(
    ws: Workspace,
    *,
    kind: XrefKind,
    written: str,
    sku: str,
    scope: XrefScope,
    owner: str,
    actor: str,
) -> LearnedReference:
    """Map ``written`` to ``sku`` for a customer (code), a partner (id) or everyone."""
    if scope is XrefScope.PARTNER:
        ws.partner(owner)  # an unknown partner is an error naming the known ones
    with ws.sessions.begin() as s:
        return save_xref(
            s, kind=kind, written=written, sku=sku, scope=scope, owner=owner,
            actor=actor, now=datetime.now(UTC),
        )  # fmt: skip


def learned_references(ws: Workspace, *, owner: str | None = None) -> list[LearnedReference]:
    with ws.read_sessions() as s:
        return list_xrefs(s, owner=owner)


def forget_xref(ws: Workspace, xref_id: int) -> LearnedReference:
    with ws.sessions.begin() as s:
        return remove_xref(s, xref_id)


__all__ = ["add_xref", "forget_xref", "learned_references"]
