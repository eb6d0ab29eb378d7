"""The admin's loop: every attempt at a file kept, duplicates recorded, order numbers
live per partner, reply deadlines, revisions of orders, replays, learned
cross-references.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gateway.store.models import NAMING_CONVENTION

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_PROCESSED = sa.text("outcome = 'processed'")
_LIVE = sa.text("status NOT IN ('rejected', 'cancelled')")


def upgrade() -> None:
    # A database from create_all has unnamed constraints on SQLite: the naming convention
    # names them as they are reflected, so the old unique constraint can be dropped.
    with op.batch_alter_table("inbound_files", naming_convention=NAMING_CONVENTION) as b:
        b.drop_constraint("inbound_files_partner_sha256_key", type_="unique")
        b.add_column(sa.Column("attempt_of", sa.Integer(), nullable=True))
        b.add_column(sa.Column("duplicate_of", sa.Integer(), nullable=True))
        b.add_column(sa.Column("source_inode", sa.String(length=64), nullable=True))
        b.create_foreign_key(
            "inbound_files_attempt_of_fkey", "inbound_files", ["attempt_of"], ["id"]
        )
        b.create_foreign_key(
            "inbound_files_duplicate_of_fkey", "inbound_files", ["duplicate_of"], ["id"]
        )
    op.create_index(
        "uq_inbound_files_processed", "inbound_files", ["partner", "sha256"], unique=True,
        sqlite_where=_PROCESSED, postgresql_where=_PROCESSED,
    )  # fmt: skip
    op.create_index("ix_inbound_files_partner_sha256", "inbound_files", ["partner", "sha256"])

    op.drop_index("uq_orders_live_number", table_name="orders")
    with op.batch_alter_table("orders", naming_convention=NAMING_CONVENTION) as b:
        b.add_column(sa.Column("source_index", sa.Integer(), nullable=True))
        b.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        b.add_column(sa.Column("overdue_logged_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_orders_due_at", "orders", ["due_at"])
    op.create_index(
        "uq_orders_live_number", "orders", ["partner", "customer_code", "order_number"],
        unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE,
    )  # fmt: skip

    with op.batch_alter_table("order_events", naming_convention=NAMING_CONVENTION) as b:
        b.add_column(sa.Column("kind", sa.String(length=16), nullable=True))

    op.create_table(
        "order_sources",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("inbound_file_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["inbound_file_id"], ["inbound_files.id"], name="order_sources_inbound_file_id_fkey"
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="order_sources_order_id_fkey"),
        sa.PrimaryKeyConstraint("order_id", "inbound_file_id", name="order_sources_pkey"),
    )
    op.create_table(
        "replays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbound_file_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["inbound_files.id"], name="replays_attempt_id_fkey"
        ),
        sa.ForeignKeyConstraint(
            ["inbound_file_id"], ["inbound_files.id"], name="replays_inbound_file_id_fkey"
        ),
        sa.PrimaryKeyConstraint("id", name="replays_pkey"),
    )
    op.create_index("ix_replays_inbound_file_id", "replays", ["inbound_file_id"])
    op.create_table(
        "cross_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("written", sa.String(length=300), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="cross_references_product_id_fkey"
        ),
        sa.PrimaryKeyConstraint("id", name="cross_references_pkey"),
        sa.UniqueConstraint(
            "scope", "owner", "kind", "key", name="cross_references_scope_owner_kind_key_key"
        ),
    )
    op.create_index("ix_cross_references_key", "cross_references", ["key"])


def downgrade() -> None:
    op.drop_table("cross_references")
    op.drop_table("replays")
    op.drop_table("order_sources")
    with op.batch_alter_table("order_events", naming_convention=NAMING_CONVENTION) as b:
        b.drop_column("kind")
    op.drop_index("uq_orders_live_number", table_name="orders")
    op.drop_index("ix_orders_due_at", table_name="orders")
    with op.batch_alter_table("orders", naming_convention=NAMING_CONVENTION) as b:
        b.drop_column("overdue_logged_at")
        b.drop_column("due_at")
        b.drop_column("source_index")
    op.create_index(
        "uq_orders_live_number", "orders", ["customer_code", "order_number"], unique=True,
        sqlite_where=_LIVE, postgresql_where=_LIVE,
    )  # fmt: skip
    op.drop_index("ix_inbound_files_partner_sha256", table_name="inbound_files")
    op.drop_index("uq_inbound_files_processed", table_name="inbound_files")
    with op.batch_alter_table("inbound_files", naming_convention=NAMING_CONVENTION) as b:
        b.drop_constraint("inbound_files_duplicate_of_fkey", type_="foreignkey")
        b.drop_constraint("inbound_files_attempt_of_fkey", type_="foreignkey")
        b.drop_column("source_inode")
        b.drop_column("duplicate_of")
        b.drop_column("attempt_of")
        b.create_unique_constraint("inbound_files_partner_sha256_key", ["partner", "sha256"])
