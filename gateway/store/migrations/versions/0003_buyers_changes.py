"""The buyer's changes applied once, what each partner was told, and every id a line's buyer sent.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applied_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("change_key", sa.String(length=100), nullable=False),
        sa.Column("inbound_file_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["inbound_file_id"],
            ["inbound_files.id"],
            name=op.f("applied_changes_inbound_file_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("applied_changes_order_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("applied_changes_pkey")),
        sa.UniqueConstraint(
            "partner",
            "order_id",
            "change_key",
            name=op.f("applied_changes_partner_order_id_change_key_key"),
        ),
    )
    with op.batch_alter_table("applied_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applied_changes_order_id"), ["order_id"], unique=False)

    op.create_table(
        "told_partners",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("told_partners_order_id_fkey")
        ),
        sa.PrimaryKeyConstraint("order_id", "format", name=op.f("told_partners_pkey")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("item_ids")

    op.drop_table("told_partners")
    with op.batch_alter_table("applied_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applied_changes_order_id"))

    op.drop_table("applied_changes")
