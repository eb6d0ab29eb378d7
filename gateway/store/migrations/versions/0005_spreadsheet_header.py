"""Order comment and buyer reference from a spreadsheet's header; a hint on each line.

What a spreadsheet sender wrote above or below its table (a comment, its own reference)
is kept on the order, and each line carries what the sender can do about its outcome.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hint", sa.Text(), nullable=True))

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("buyer_reference", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("buyer_reference")
        batch_op.drop_column("comment")

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("hint")
