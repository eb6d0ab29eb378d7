"""Tables. One declarative model per table, SQLAlchemy 2 typed mappings.

Identifiers that people type (SKU, customer code, barcode) are stored as given and,
where matching must ignore form, beside a normalised key (``gtin14``, ``name_key``).

Annotations are evaluated where they are written (no ``from __future__ import
annotations``): as strings, SQLAlchemy would evaluate each ``Mapped[…]`` again when it
maps the class, on every command that opens the database (5 ms). A relationship names a
class defined further down in quotes.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

QTY = Numeric(18, 4)


#: Constraint names as PostgreSQL gives them by default, so that a database made before
#: migrations (by ``create_all``, unnamed constraints) has exactly the names the migrations
#: use; indexes as SQLAlchemy names them by default.
NAMING_CONVENTION = {
    "pk": "%(table_name)s_pkey",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "ix": "ix_%(column_0_label)s",
    "ck": "%(table_name)s_%(constraint_name)s_check",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


#: Live orders (:data:`gateway.rules.lifecycle.LIVE`: neither rejected nor cancelled) in
#: SQL: the condition of the partial unique index on their numbers, and the very words a
#: query for live orders says. SQLite uses a partial index only for a query that repeats
#: its condition term for term, constants and all: asked with ``status IN (:a, :b, …)``,
#: it read every order the customer ever sent instead (a cost that grew with each file).
LIVE_ORDER_SQL = "status NOT IN ('rejected', 'cancelled')"


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index of only the rows for which ``where`` holds, on SQLite and PostgreSQL alike.

    The condition goes to the dialect of the database the table is created in, when it is
    created (:func:`_where_in_its_dialect`), rather than as ``sqlite_where=`` and
    ``postgresql_where=`` here: SQLAlchemy imports a dialect to check the keywords named
    for it, and every command on SQLite would load the PostgreSQL dialect and its drivers'
    modules (18 ms of a listing's CPU).
    """
    return Index(name, *columns, unique=unique, info={"where": where})


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    unit: Mapped[str] = mapped_column(String(16), default="EA")
    sell_multiple: Mapped[Decimal] = mapped_column(QTY, default=Decimal(1))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Barcode(Base):
    __tablename__ = "barcodes"
    # Stored as GTIN-14 so that the 12-, 13- and 14-digit writings of one code match.
    gtin14: Mapped[str] = mapped_column(String(14), primary_key=True)
    barcode: Mapped[str] = mapped_column(String(14))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    pack_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(1))


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    gln: Mapped[str | None] = mapped_column(String(13), index=True)
    has_assortment: Mapped[bool] = mapped_column(Boolean, default=False)


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    gln: Mapped[str | None] = mapped_column(String(13), index=True)


class Grant(Base):
    """A partner may order for this customer at this site (imported grants)."""

    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("partner", "customer_id", "site_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))


class AssortmentItem(Base):
    __tablename__ = "assortments"
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)


class CustomerRef(Base):
    __tablename__ = "customer_refs"
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    customer_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))


class InboundFile(Base):
    """Every file that arrived, and every attempt at it.

    Same partner + same sha256 = the same file: once processed, the same bytes again are
    a duplicate (recorded, answered, not processed). Bytes that failed (nothing stored)
    may come again, dropped or replayed: a new attempt, linked to the one before.
    """

    __tablename__ = "inbound_files"
    __table_args__ = (
        # At most one processed record per partner and bytes, whatever the worker:
        # a partial unique index, so failed attempts and duplicates may repeat.
        partial_index(
            "uq_inbound_files_processed",
            "partner",
            "sha256",
            unique=True,
            where="outcome = 'processed'",
        ),
        Index("ix_inbound_files_partner_sha256", "partner", "sha256"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str | None] = mapped_column(String(16))
    #: processed | failed | duplicate
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    orders_count: Mapped[int] = mapped_column(Integer, default=0)
    lines_accepted: Mapped[int] = mapped_column(Integer, default=0)
    lines_rejected: Mapped[int] = mapped_column(Integer, default=0)
    archived_to: Mapped[str | None] = mapped_column(String(1000))
    #: The failed attempt this one tries again (dropped again, or replayed)
    attempt_of: Mapped[int | None] = mapped_column(ForeignKey("inbound_files.id"), index=True)
    #: For a duplicate: the processed file whose bytes these are
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("inbound_files.id"), index=True)
    #: "device:inode" of the claimed file: recovery finishes this very file, while the
    #: same bytes dropped again are another file
    source_inode: Mapped[str | None] = mapped_column(String(64))
    #: Cluster mode: the node (machine) whose folder or poller took the file
    node: Mapped[str | None] = mapped_column(String(64))


class Blob(Base):
    """The bytes of a received file, once per sha256 (cluster mode's default blob store;
    see :mod:`gateway.store.blobs`)."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        # One live order per customer + order number; a rejected or cancelled one may be
        # sent again. Partial unique index: enforced by the database for every worker.
        # Per partner: two partners sharing a customer cannot take (or learn of) each
        # other's order numbers.
        partial_index(
            "uq_orders_live_number",
            "partner",
            "customer_code",
            "order_number",
            unique=True,
            where=LIVE_ORDER_SQL,
        ),
        # Overdue orders per partner (dashboard, status): only the orders still awaiting
        # an answer are read, not every order ever past its deadline; covering, so the
        # partner is read from the index.
        Index("ix_orders_status_due_partner", "status", "due_at", "partner"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), index=True)
    inbound_file_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_files.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    customer_code: Mapped[str | None] = mapped_column(String(64), index=True)
    site_code: Mapped[str | None] = mapped_column(String(64))
    order_number: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), index=True)
    format: Mapped[str] = mapped_column(String(16))
    order_date: Mapped[date | None] = mapped_column(Date)
    delivery_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str | None] = mapped_column(String(3))
    reason_code: Mapped[str | None] = mapped_column(String(48))
    reason: Mapped[str | None] = mapped_column(Text)
    #: The sender's remarks about the whole order (a spreadsheet's comment, EDI free text)
    comment: Mapped[str | None] = mapped_column(Text)
    #: The buyer's own reference for the order, when it gives one beside the number
    buyer_reference: Mapped[str | None] = mapped_column(String(64))
    #: The sender's envelope (EDI ids and references), echoed in responses
    envelope: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: Which order document of its file this is (0-based), to find it again on a replay
    source_index: Mapped[int | None] = mapped_column(Integer)
    #: When the supplier owes an answer (the partner's ``response_deadline``)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: When the gateway logged it overdue (once)
    overdue_logged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", order_by="OrderLine.line_no", cascade="all, delete-orphan"
    )
    events: Mapped[list["OrderEvent"]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        # The rejections queue reads only rejected lines: a partial index keeps it fast
        # however many accepted lines there are.
        partial_index("ix_order_lines_rejected", "order_id", where="outcome = 'rejected'"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    source_line: Mapped[int | None] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(64))
    barcode: Mapped[str | None] = mapped_column(String(64))
    supplier_ref: Mapped[str | None] = mapped_column(String(64))
    customer_ref: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(300))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str | None] = mapped_column(String(64))
    ordered_quantity: Mapped[Decimal | None] = mapped_column(QTY)
    ordered_unit: Mapped[str | None] = mapped_column(String(16))
    #: In the product's unit, after case barcodes and pack multiples
    quantity: Mapped[Decimal | None] = mapped_column(QTY)
    confirmed_quantity: Mapped[Decimal | None] = mapped_column(QTY)
    shipped_quantity: Mapped[Decimal | None] = mapped_column(QTY)
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    outcome: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(48))
    message: Mapped[str | None] = mapped_column(Text)
    #: What the sender can do about the line, in its words (refused lines)
    hint: Mapped[str | None] = mapped_column(Text)
    matched_by: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column()
    suggestions: Mapped[list[Any]] = mapped_column(default=list)
    #: The buyer's product ids as sent, ``[[qualifier, value, column], …]`` (EDI), echoed
    #: in responses; null for lines from spreadsheets
    item_ids: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)

    order: Mapped["Order"] = relationship(back_populates="lines")


class OrderEvent(Base):
    """A change of an order: of its status, or (``kind``) of its lines by a replay or a
    follow-up file from the customer."""

    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    #: None for a status change; replayed | amended for changes of lines
    kind: Mapped[str | None] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    order: Mapped["Order"] = relationship(back_populates="events")


class OrderSource(Base):
    """Which received files made or changed an order (the first, follow-ups, replays)."""

    __tablename__ = "order_sources"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    inbound_file_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_files.id"), primary_key=True, index=True
    )
    #: original | amendment | replay
    role: Mapped[str] = mapped_column(String(16))


class Replay(Base):
    """A replay of a received file by an admin: who, when, and what it changed."""

    __tablename__ = "replays"
    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_file_id: Mapped[int] = mapped_column(ForeignKey("inbound_files.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    #: changed | unchanged | new_attempt | refused
    result: Mapped[str] = mapped_column(String(16))
    #: Per order: the lines that changed, before → after
    changes: Mapped[list[Any]] = mapped_column(default=list)
    #: The new attempt, when a failed file was replayed
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_files.id"))


class CrossReference(Base):
    """An identifier an admin mapped to a product once (a learned cross-reference).

    ``kind`` says which identifier (barcode, reference, name) and ``key`` is its
    compared form; ``scope`` says whose lines it serves: one customer's, one partner's,
    or everyone's.
    """

    __tablename__ = "cross_references"
    __table_args__ = (UniqueConstraint("scope", "owner", "kind", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: customer | partner | everyone
    scope: Mapped[str] = mapped_column(String(16))
    #: The customer code or partner id of the scope ("" for everyone)
    owner: Mapped[str] = mapped_column(String(64))
    #: barcode | reference | name
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(300), index=True)
    #: The identifier as first written
    written: Mapped[str] = mapped_column(String(300))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))


class OutgoingMessage(Base):
    """The transactional outbox: committed with the orders, written out afterwards."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (UniqueConstraint("destination", "filename"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    inbound_file_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_files.id"), index=True)
    #: ack | rejection_report | contrl | ordrsp | 997 | 855 | status
    kind: Mapped[str] = mapped_column(String(32))
    #: partner (their outbox) | admin (the workspace's reports folder)
    audience: Mapped[str] = mapped_column(String(16))
    destination: Mapped[str] = mapped_column(String(1000))
    filename: Mapped[str] = mapped_column(String(500))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: For SFTP partners: when the reply was uploaded to the partner's remote ``out``
    uploaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SentInterchange(Base):
    """Every EDI interchange we send, by its control references, and what the partner said.

    The partner's 997/999, TA1 or CONTRL names our references; this is where they are
    found, so a reply can show "accepted" or "rejected" beside the order it answered.
    """

    __tablename__ = "sent_interchanges"
    __table_args__ = (UniqueConstraint("partner", "format", "interchange_ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    interchange_ref: Mapped[str] = mapped_column(String(35))  # ISA13 / UNB 0020
    group_ref: Mapped[str | None] = mapped_column(String(35))  # GS06
    message_ref: Mapped[str | None] = mapped_column(String(35))  # ST02 / UNH 0062
    outgoing_message_id: Mapped[int] = mapped_column(ForeignKey("outgoing_messages.id"), index=True)
    message: Mapped["OutgoingMessage"] = relationship()
    #: accepted | accepted with errors | partially accepted | rejected | received
    acknowledgment: Mapped[str | None] = mapped_column(String(32))
    #: What the partner's acknowledgment said, as an admin reads it
    acknowledgment_detail: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReceivedInterchange(Base):
    """Every EDI interchange received, by sender and control reference (UNB 0020 / ISA13).

    The same reference from the same sender again, in other bytes, is a duplicate.
    """

    __tablename__ = "received_interchanges"
    __table_args__ = (UniqueConstraint("partner", "format", "sender", "control_ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(80))  # qualifier:id as sent
    control_ref: Mapped[str] = mapped_column(String(35))
    inbound_file_id: Mapped[int] = mapped_column(ForeignKey("inbound_files.id"))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AppliedChange(Base):
    """A buyer's change applied to an order (ORDCHG, 860, a replacing or cancelling
    order), by the change's own reference or, without one, its content: applied once."""

    __tablename__ = "applied_changes"
    __table_args__ = (UniqueConstraint("partner", "order_id", "change_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    change_key: Mapped[str] = mapped_column(String(100))
    inbound_file_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_files.id"))
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ControlNumber(Base):
    """Per partner and kind (interchange, group, message): the last number issued."""

    __tablename__ = "control_numbers"
    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(BigInteger, default=0)


class FeedFile(Base):
    """An ERP status-feed file that was applied; the same bytes are never applied twice."""

    __tablename__ = "feed_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: rows read, instructions applied, instructions refused
    rows: Mapped[int] = mapped_column(Integer, default=0)
    applied: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    archived_to: Mapped[str | None] = mapped_column(String(1000))


class ToldPartner(Base):
    """What an order's partner was last told in one EDI format, as a fingerprint of the
    response it could read (its segments without envelope, dates or references).

    A later response is sent only when its fingerprint differs, and then says it
    replaces the earlier one (BAK01 05 / BGM 1225 5).
    """

    __tablename__ = "told_partners"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    format: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: How many responses were sent (1: the original only)
    responses: Mapped[int] = mapped_column(Integer, default=0)
    told_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DigestSent(Base):
    """One daily digest per partner and day: a restart does not send it again."""

    __tablename__ = "digests_sent"
    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_messages.id"))


class ConsoleUser(Base):
    """A person who signs in to the web console: the supplier's people, or a partner's."""

    __tablename__ = "console_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    #: admin | operator | viewer | partner
    role: Mapped[str] = mapped_column(String(16))
    #: For a partner user: the partner whose data it sees (and only that)
    partner: Mapped[str | None] = mapped_column(String(64))
    #: fr | en: the console's language for this user
    language: Mapped[str] = mapped_column(String(2), default="en")
    #: argon2id, with its parameters and salt (PHC string)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))


class ConsoleSession(Base):
    """A signed-in browser. The cookie holds a random id; only its sha256 is kept, and
    signing out deletes the row, so a copied cookie dies with the session."""

    __tablename__ = "console_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Wrong passwords in a row, per user name and per client address (``kind``)."""

    __tablename__ = "login_throttle"
    #: user | address
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: No attempt is checked before this time
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A partner's bearer token for the HTTP inbox; only its sha256 is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, to tell tokens apart in a listing
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ActionEvent(Base):
    """Something a person or a partner's machine did through the console, the API or a
    command that has no history of its own (sign-in, a reply resent, a user added…)."""

    __tablename__ = "action_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: admin:NAME, partner:ID…
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(48))
    #: What it was done to ("order 12", "message 40", "user marie")
    subject: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


def _where_in_its_dialect(table: Table, connection: Connection, **_: Any) -> None:
    """Before ``CREATE TABLE`` (``create_all`` or ``Table.create``): each partial index's
    condition, in the keyword of the dialect creating it (``sqlite_where``…)."""
    for index in table.indexes:
        if "where" in index.info:
            index.dialect_kwargs[f"{connection.dialect.name}_where"] = text(index.info["where"])


for _table in Base.metadata.tables.values():
    if any("where" in index.info for index in _table.indexes):
        event.listen(_table, "before_create", _where_in_its_dialect)


def table_of(model: type[Base]) -> Table:
    """The model's table, typed as a Table (``__table__`` is typed as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
