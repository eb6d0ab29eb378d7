"""Several machines: the blob store of received files' bytes, and the node that took
each file. (procrastinate's own schema is applied beside the revisions, by
:func:`gateway.store.migrate.upgrade`.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("blobs_pkey")),
    )
    with op.batch_alter_table("inbound_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("node", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_files", schema=None) as batch_op:
        batch_op.drop_column("node")
    op.drop_table("blobs")
