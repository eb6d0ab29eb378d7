"""The ERP status feed: CSV / XLSX files in ``inbox/_erp/`` that move orders.

A feed file has a header row and one row per instruction: the order (gateway id, or
customer + order number), the new status (``validated``, ``shipped``… in English or
French, or the verb: ``ship``), an optional reason, and optionally a line number and a
quantity — several rows with the same order and status carry one instruction's line
quantities (shipped quantities on ``shipped``, confirmed ones on ``validated``); a row
with neither order nor status continues the instruction above it.  On a shipment
(``shipped``, or ``partially_shipped`` / ``expédiée en partie`` for a part with the
rest to follow) an optional SSCC column names the package each line's quantity left
in; an SSCC's check digit is verified.

Same guarantees as order files: a file is claimed into ``.processing/``, recorded by
sha256 in the same transaction as the changes it applies (the same bytes are never
applied twice), archived to ``archive/_erp/…`` or quarantined in ``failed/_erp/`` with a
reason file. Unknown orders and forbidden transitions are refused row by row — in the
log and in a result file written to ``reports/_erp/`` — and the other rows are applied.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.channels.folder.inbox import (
    DEFAULT_SETTLE,
    InboxTracker,
    Readiness,
    abandoned_claims,
    claim_held,
    poll_settled,
    put_back,
)
from gateway.errors import GatewayError, Unreadable
from gateway.intake.files import NotTaken, StillWritten, archive, quarantine, refusal, take_snapshot
from gateway.intake.pipeline import FileOutcome, FileResult
from gateway.intake.record import find_live_orders
from gateway.intake.sandbox import read_isolated
from gateway.orders.transitions import OrderNotFound, PackageSpec, apply_transition
from gateway.replies.dispatch import dispatch_pending
from gateway.replies.names import feed_result_name, stem
from gateway.replies.outbox import Audience, MessageKind, Outbox, outbox_transaction
from gateway.rules.lifecycle import VERBS, ActorKind, OrderStatus, actor
from gateway.store.ledger import known_feed_file
from gateway.store.models import FeedFile, Order
from gateway.workspace import ERP_FEED, PROCESSING, Workspace
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.cells import Cell, cell_text
from parsers.columns import normalise_header
from parsers.errors import ParseError

#: Largest ERP status file read (bytes): a status feed is rows of order ids, not orders
FEED_MAX_SIZE = 50_000_000

log = logging.getLogger("gateway.orders.erp_feed")

HEADER_SEARCH_ROWS = 10

ALIASES: dict[str, tuple[str, ...]] = {
    "order_id": ("Id", "Id commande", "Order id", "Gateway id", "N° gateway"),
    "customer": ("Client", "Code client", "Customer", "Customer code"),
    "order_number": ("N° commande", "Numéro de commande", "Commande", "Order number",
                     "Order no", "PO", "PO number"),
    "status": ("Statut", "Nouveau statut", "État", "Status", "New status"),
    "line": ("N° ligne", "Ligne", "Line", "Line no", "Line number"),
    "quantity": ("Quantité", "Qté", "Quantité expédiée", "Qté expédiée", "Quantité confirmée",
                 "Qté confirmée", "Quantity", "Qty", "Shipped quantity", "Shipped qty",
                 "Confirmed quantity", "Confirmed qty"),
    "reason": ("Motif", "Raison", "Commentaire", "Reason", "Comment"),
    "sscc": ("SSCC", "N° SSCC", "Colis", "Palette", "Package", "Package SSCC"),
}  # fmt: skip
_HEADER_KEYS = {normalise_header(a): f for f, names in ALIASES.items() for a in names}

_STATUS_WORDS: dict[str, OrderStatus] = {
    **{s.value: s for s in OrderStatus},
    **VERBS,
    "valid": OrderStatus.VALIDATED,
    "validee": OrderStatus.VALIDATED,
    "valide": OrderStatus.VALIDATED,
    "enpreparation": OrderStatus.IN_PREPARATION,
    "preparation": OrderStatus.IN_PREPARATION,
    "inpreparation": OrderStatus.IN_PREPARATION,
    "expedieeenpartie": OrderStatus.PARTIALLY_SHIPPED,
    "expedieepartiellement": OrderStatus.PARTIALLY_SHIPPED,
    "partiallyshipped": OrderStatus.PARTIALLY_SHIPPED,
    "partial": OrderStatus.PARTIALLY_SHIPPED,
    "expediee": OrderStatus.SHIPPED,
    "expedie": OrderStatus.SHIPPED,
    "livree": OrderStatus.DELIVERED,
    "livre": OrderStatus.DELIVERED,
    "refusee": OrderStatus.REJECTED,
    "refuse": OrderStatus.REJECTED,
    "rejete": OrderStatus.REJECTED,
    "rejetee": OrderStatus.REJECTED,
    "annulee": OrderStatus.CANCELLED,
    "annule": OrderStatus.CANCELLED,
    "canceled": OrderStatus.CANCELLED,
}
STATUS_WORDS = {normalise_header(k): v for k, v in _STATUS_WORDS.items()}


class FeedUnreadable(Unreadable):
    """The file is not a feed the gateway can read; it is quarantined with this reason."""


@dataclass
class Instruction:
    rows: list[int]
    status: OrderStatus
    order_id: int | None = None
    customer: str | None = None
    order_number: str | None = None
    reason: str | None = None
    lines: dict[int, Decimal] = field(default_factory=dict)
    #: SSCC → line → quantity in that package (empty: the package holds every line)
    packages: dict[str, dict[int, Decimal]] = field(default_factory=dict)

    def take(self, sscc: str | None, lines: dict[int, Decimal]) -> None:
        """One row's line quantity, in its package if it names one. Rows of one line add
        up: a line split over two pallets comes as two rows, and ships their sum."""
        package = self.packages.setdefault(sscc, {}) if sscc else None
        for line_no, qty in lines.items():
            self.lines[line_no] = self.lines.get(line_no, Decimal(0)) + qty
            if package is not None:
                package[line_no] = package.get(line_no, Decimal(0)) + qty

    @property
    def order_ref(self) -> str:
        if self.order_id is not None:
            return f"#{self.order_id}"
        return f"{self.customer or '?'} / {self.order_number or '?'}"


@dataclass
class RowResult:
    rows: list[int]
    order_ref: str
    status: str | None
    #: applied | refused
    result: str
    order_id: int | None = None
    from_status: str | None = None
    message: str = ""


@dataclass
class FeedOutcome(FileOutcome):
    rows: list[RowResult] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(r.result == "applied" for r in self.rows)

    @property
    def refused(self) -> int:
        return sum(r.result == "refused" for r in self.rows)

    @property
    def lines_accepted(self) -> int:
        return self.applied

    @property
    def lines_rejected(self) -> int:
        return self.refused


# --- reading -----------------------------------------------------------------------------------
def feed_rows(data: bytes, name: str) -> Sequence[tuple[int, Sequence[Cell]]]:
    """Every row of the file with its line / row number."""
    try:
        if xlsx_format.recognise(data):
            # calamine in a child process, within bounds: a feed file is no poison pill
            return read_isolated(xlsx_format.first_sheet_rows, data, xlsx_format.SheetLimits())
        return csv_format.rows(data)
    except ParseError as exc:
        raise FeedUnreadable(f"{name} cannot be read: {exc}") from None


def _header(rows: Sequence[tuple[int, Sequence[Cell]]]) -> tuple[int, dict[str, int]]:
    for pos, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        for i, c in enumerate(cells):
            text = cell_text(c)
            f = _HEADER_KEYS.get(normalise_header(text)) if text else None
            if f and f not in cols:
                cols[f] = i
        if "status" in cols and ("order_id" in cols or "order_number" in cols):
            return pos, cols
    raise FeedUnreadable(
        "no feed header in the first 10 rows: expected a status column (Statut / Status) "
        "and an order column (Id, or N° commande / Order number with Client / Customer)"
    )


def _number(text: str) -> Decimal:
    t = text.replace("\u00a0", "").replace(" ", "")
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    d = Decimal(t)
    if not d.is_finite():
        raise InvalidOperation
    return d


def parse_feed(data: bytes, name: str) -> tuple[list[Instruction], list[RowResult]]:
    """The instructions of a feed file, and the rows refused while reading it."""
    rows = feed_rows(data, name)
    pos, cols = _header(rows)
    instructions: list[Instruction] = []
    errors: list[RowResult] = []
    current: Instruction | None = None

    def get(cells: Sequence[Cell], f: str) -> str | None:
        i = cols.get(f)
        return cell_text(cells[i]) if i is not None and i < len(cells) else None

    for row_no, cells in rows[pos + 1 :]:
        v = {f: get(cells, f) for f in cols}
        if not any(v.values()):
            continue
        ref = (f"#{v.get('order_id')}" if v.get("order_id")
               else f"{v.get('customer') or '?'} / {v.get('order_number') or '?'}")  # fmt: skip

        status_cell = v.get("status")

        def refuse(
            msg: str, row_no: int = row_no, ref: str = ref, st: str | None = status_cell
        ) -> None:
            errors.append(RowResult([row_no], ref, st, "refused", message=msg))

        has_order = v.get("order_id") or v.get("order_number")
        line_text, qty_text = v.get("line"), v.get("quantity")
        lines: dict[int, Decimal] = {}
        if line_text or qty_text:
            try:
                if not (line_text and qty_text):
                    raise ValueError
                lines[int(_number(line_text))] = _number(qty_text)
            except (ValueError, InvalidOperation):
                refuse(f"line {line_text!r} / quantity {qty_text!r}: expected a line number "
                       "and a quantity, both numbers")  # fmt: skip
                continue
        if not has_order and not v.get("status"):
            if current is None or not lines:
                refuse("no order and no status on this row, and no instruction above to continue")
                continue
            current.rows.append(row_no)
            current.take(v.get("sscc"), lines)
            continue
        if not has_order:
            refuse("no order: give the gateway id, or the customer and order number")
            continue
        status_text = v.get("status")
        status = STATUS_WORDS.get(normalise_header(status_text)) if status_text else None
        if status is None:
            known = ", ".join(s.value for s in OrderStatus)
            refuse(f"status {status_text!r} is not one the gateway knows (expected: {known})")
            continue
        order_id = None
        if v.get("order_id"):
            try:
                order_id = int(_number(v["order_id"]))  # type: ignore[arg-type]
            except (ValueError, InvalidOperation):
                refuse(f"order id {v['order_id']!r} is not a number")
                continue
        elif not v.get("customer"):
            refuse("an order number needs the customer (Client / Customer column)")
            continue
        same = (
            current is not None
            and current.status is status
            and (current.order_id, current.customer, current.order_number)
            == (order_id, v.get("customer") if order_id is None else None,
                v.get("order_number") if order_id is None else None)
        )  # fmt: skip
        if same and current is not None:
            current.rows.append(row_no)
            current.take(v.get("sscc"), lines)
            continue
        current = Instruction(
            rows=[row_no], status=status, order_id=order_id,
            customer=None if order_id is not None else v.get("customer"),
            order_number=None if order_id is not None else v.get("order_number"),
            reason=v.get("reason"),
        )  # fmt: skip
        current.take(v.get("sscc"), lines)
        instructions.append(current)
    return instructions, errors


# --- applying ----------------------------------------------------------------------------------
def _find_order(session: Session, ins: Instruction) -> Order:
    if ins.order_id is not None:
        order = session.get(Order, ins.order_id)
        if order is None:
            raise OrderNotFound(ins.order_id)
        return order
    assert ins.customer and ins.order_number
    live = find_live_orders(session, ins.customer, ins.order_number)
    if len(live) > 1:
        raise OrderNotFound(
            None,
            f"order {ins.order_number!r} of customer {ins.customer!r} is live for several "
            f"partners (ids {', '.join(str(o.id) for o in live)}): give the order id",
        )
    order = (live[0] if live else None) or session.scalar(
        select(Order)
        .where(Order.customer_code == ins.customer, Order.order_number == ins.order_number)
        .order_by(Order.id.desc())
        .limit(1)
    )
    if order is None:
        raise OrderNotFound(None, f"no order {ins.order_number!r} for customer {ins.customer!r}")
    return order


def feed_inbox(ws: Workspace) -> Path:
    return ws.erp_feed


RESULT_HEADERS = ["Rows", "Order", "Order id", "Wanted status", "Result", "From status",
                  "Message"]  # fmt: skip


def _result_csv(results: list[RowResult]) -> bytes:
    from parsers.sheets import Sheet

    sheet = Sheet(title="Result", headers=list(RESULT_HEADERS))
    for r in sorted(results, key=lambda r: r.rows[0]):
        sheet.rows.append([", ".join(map(str, r.rows)), r.order_ref, r.order_id, r.status,
                           r.result, r.from_status, r.message])  # fmt: skip
    return csv_format.write_table(sheet, csv_format.CsvDialect(delimiter=";", decimal=","))


def _now() -> datetime:
    return datetime.now(UTC)


def process_feed_file(ws: Workspace, path: Path) -> FeedOutcome:
    """Apply one claimed feed file; it always ends archived or quarantined."""
    started = time.perf_counter()
    out = _process(ws, path)
    out.seconds = time.perf_counter() - started
    log.info("erp feed done file=%s outcome=%s applied=%d refused=%d duration=%.3fs%s",
             out.name, out.outcome, out.applied, out.refused, out.seconds,
             f" reason={out.reason!r}" if out.reason else "")  # fmt: skip
    return out


def _quarantined(ws: Workspace, path: Path, reason: str) -> FeedOutcome:
    moved = quarantine(ws, ERP_FEED, path, reason)
    return FeedOutcome(ERP_FEED, path.name, FileResult.FAILED, reason=reason, moved_to=moved)


def _process(ws: Workspace, path: Path) -> FeedOutcome:
    name = path.name
    try:
        data = take_snapshot(path, FEED_MAX_SIZE).data
    except NotTaken as refused:  # a link, FIFO, device, second name, or too large
        return _quarantined(ws, path, refused.reason)
    except StillWritten:
        put_back(path)
        return FeedOutcome(ERP_FEED, name, FileResult.UNSETTLED, reason="changed while read")
    sha = hashlib.sha256(data).hexdigest()
    with ws.read_sessions() as ledger:
        known = known_feed_file(ledger, sha)
    if known is not None:
        return _already_known(ws, path, known)
    try:
        instructions, results = parse_feed(data, name)
    except FeedUnreadable as exc:
        log.warning("erp feed quarantined file=%s reason=%r", name, str(exc))
        return _quarantined(ws, path, str(exc))
    now = _now()
    try:
        with outbox_transaction(ws, now) as box:
            s = box.session
            feed = FeedFile(sha256=sha, name=name, size=len(data), received_at=now)
            s.add(feed)
            s.flush()
            for ins in instructions:
                results.append(_apply(box, ins, feed))
            feed.rows = sum(len(r.rows) for r in results)
            feed.applied = sum(r.result == "applied" for r in results)
            feed.refused = sum(r.result == "refused" for r in results)
            box.queue(
                ERP_FEED, MessageKind.FEED_RESULT, feed_result_name(stem(name), feed.id),
                _result_csv(results), audience=Audience.ADMIN,
            )  # fmt: skip
            feed_id = feed.id
    except IntegrityError:
        # Another worker recorded the same bytes in between.
        with ws.read_sessions() as ledger:
            known = known_feed_file(ledger, sha)
        if known is None:
            raise
        return _already_known(ws, path, known)
    except Exception as exc:  # noqa: BLE001 — a bug must not leave the file claimed forever
        log.exception("erp feed crashed file=%s", name)
        reason = f"the feed could not be applied ({type(exc).__name__}: {exc}); nothing was applied"
        return _quarantined(ws, path, reason)
    for r in results:
        if r.result == "refused":
            log.warning(
                "erp feed row refused file=%s rows=%s order=%s status=%s: %s",
                name,
                ",".join(map(str, r.rows)),
                r.order_ref,
                r.status,
                r.message,
            )
    moved = _finish(ws, path, feed_id, now)
    return FeedOutcome(ERP_FEED, name, FileResult.PROCESSED, inbound_id=feed_id,
                       format="erp_feed", replies=box.written, moved_to=moved,
                       rows=results)  # fmt: skip


def _apply(box: Outbox, ins: Instruction, feed: FeedFile) -> RowResult:
    res = RowResult(ins.rows, ins.order_ref, ins.status.value, "refused", order_id=ins.order_id)
    try:
        order = _find_order(box.session, ins)
        res.order_id, res.from_status = order.id, order.status
        packages = [PackageSpec(sscc, held) for sscc, held in ins.packages.items()]
        moved = apply_transition(
            box, order.id, ins.status, actor=actor(ActorKind.ERP), reason=ins.reason,
            lines=ins.lines or None, details={"feed_file": feed.name, "feed_id": feed.id,
                                              "rows": ins.rows},
            # The ERP is the supplier's record of what it confirmed and shipped: the
            # gateway follows it, more than ordered included, rather than fall out of step.
            packages=packages or None, allow_more=True,
        )  # fmt: skip
    except GatewayError as exc:
        res.message = str(exc)
        return res
    res.result = "applied"
    res.message = f"{moved.from_status} → {moved.to_status}"
    return res


def _finish(ws: Workspace, path: Path, feed_id: int, when: datetime) -> Path:
    moved = archive(ws, ERP_FEED, path, when)
    with ws.sessions.begin() as s:
        row = s.get(FeedFile, feed_id)
        assert row is not None
        row.archived_to = str(moved)
    return moved


def _already_known(ws: Workspace, path: Path, known: FeedFile) -> FeedOutcome:
    if known.name == path.name and known.archived_to is None:
        # Applied and committed before a crash, not yet archived: finish, apply nothing again.
        written = dispatch_pending(ws.sessions)
        moved = _finish(ws, path, known.id, _now())
        return FeedOutcome(ERP_FEED, path.name, FileResult.RECOVERED, inbound_id=known.id,
                           format="erp_feed", replies=written, moved_to=moved)  # fmt: skip
    reason = (
        f"duplicate: the same bytes were applied as {known.name!r} at "
        f"{known.received_at:%Y-%m-%d %H:%M:%S} (feed file #{known.id}); not applied again"
    )
    log.warning("erp feed quarantined file=%s reason=%r", path.name, reason)
    moved = quarantine(ws, ERP_FEED, path, reason)
    return FeedOutcome(ERP_FEED, path.name, FileResult.DUPLICATE, inbound_id=known.id,
                       reason=reason, moved_to=moved)  # fmt: skip


def scan_feed(ws: Workspace, *, settle: float = DEFAULT_SETTLE) -> list[FeedOutcome]:
    """Finish claimed feed files left by a crash, then apply every settled file once.

    The same claim as partner inboxes: a locked hard link into ``.processing/``, so a
    file another live worker holds is left to it.
    """
    folder = feed_inbox(ws)
    (folder / PROCESSING).mkdir(parents=True, exist_ok=True)
    outcomes: list[FeedOutcome] = []
    for held in abandoned_claims(folder):
        outcomes.append(process_feed_file(ws, held.path))
    poll = poll_settled(InboxTracker(folder, Readiness(settle=settle)), settle)
    for entry in poll.odd:
        try:
            reason = refusal(entry, os.lstat(entry)) or f"{entry.name} is not a regular file"
            moved = quarantine(ws, ERP_FEED, entry, reason)
        except FileNotFoundError:
            continue
        outcomes.append(
            FeedOutcome(ERP_FEED, entry.name, FileResult.FAILED, reason=reason, moved_to=moved)
        )
    for path in poll.ready:
        claimed = claim_held(path)
        if claimed is None:
            continue
        with claimed:
            outcomes.append(process_feed_file(ws, claimed.path))
    return outcomes
