"""The web console: users and their sessions, login throttling, partners' API tokens,
the action history; indexes for its pages.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("action_events_pkey")),
    )
    with op.batch_alter_table("action_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_events_at"), ["at"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("api_tokens_pkey")),
        sa.UniqueConstraint("token_hash", name=op.f("api_tokens_token_hash_key")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_partner"), ["partner"], unique=False)

    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("console_users_pkey")),
        sa.UniqueConstraint("name", name=op.f("console_users_name_key")),
    )
    op.create_table(
        "login_throttle",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("login_throttle_pkey")),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["console_users.id"], name=op.f("console_sessions_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("console_sessions_pkey")),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_console_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("inbound_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_files_attempt_of"), ["attempt_of"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_files_duplicate_of"), ["duplicate_of"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_files_received_at"), ["received_at"], unique=False
        )

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_order_lines_rejected",
            ["order_id"],
            unique=False,
            sqlite_where=sa.text("outcome = 'rejected'"),
            postgresql_where=sa.text("outcome = 'rejected'"),
        )

    with op.batch_alter_table("order_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_sources_inbound_file_id"), ["inbound_file_id"], unique=False
        )

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orders_inbound_file_id"), ["inbound_file_id"], unique=False
        )
        batch_op.create_index(
            "ix_orders_status_due_partner", ["status", "due_at", "partner"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_orders_updated_at"), ["updated_at"], unique=False)

    with op.batch_alter_table("outgoing_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outgoing_messages_inbound_file_id"), ["inbound_file_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outgoing_messages_order_id"), ["order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outgoing_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outgoing_messages_order_id"))
        batch_op.drop_index(batch_op.f("ix_outgoing_messages_inbound_file_id"))

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_updated_at"))
        batch_op.drop_index("ix_orders_status_due_partner")
        batch_op.drop_index(batch_op.f("ix_orders_inbound_file_id"))

    with op.batch_alter_table("order_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_sources_inbound_file_id"))

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_order_lines_rejected",
            sqlite_where=sa.text("outcome = 'rejected'"),
            postgresql_where=sa.text("outcome = 'rejected'"),
        )

    with op.batch_alter_table("inbound_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_files_received_at"))
        batch_op.drop_index(batch_op.f("ix_inbound_files_duplicate_of"))
        batch_op.drop_index(batch_op.f("ix_inbound_files_attempt_of"))

    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_sessions_user_id"))

    op.drop_table("console_sessions")
    op.drop_table("login_throttle")
    op.drop_table("console_users")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_partner"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("action_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_events_at"))

    op.drop_table("action_events")
