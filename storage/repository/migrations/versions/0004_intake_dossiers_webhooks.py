"""intake: API clients, dossiers, webhook outbox and delivery attempts; work items belong to dossiers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "intake_clients",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False, unique=True),
        sa.Column("key_prefix", sa.String(length=20), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("webhook_secret", sa.String(length=100), nullable=False),
        sa.Column("rate_per_minute", sa.Integer(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
    )
    op.create_index("ix_intake_clients_key_prefix", "intake_clients", ["key_prefix"], unique=True)
    op.create_table(
        "dossiers",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("intake_clients.id"), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("procedure_code", sa.String(length=20), nullable=False),
        sa.Column("agency", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("callback_url", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("received_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("client_id", "idempotency_key"),
    )
    for column in ("client_id", "code", "procedure_code", "agency", "status", "received_at"):
        op.create_index(f"ix_dossiers_{column}", "dossiers", [column])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("intake_clients.id"), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_until", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("delivered_at", _TS, nullable=True),
        sa.UniqueConstraint("dossier_id", "event_key"),
    )
    for column in ("client_id", "dossier_id", "status", "next_attempt_at"):
        op.create_index(f"ix_webhook_deliveries_{column}", "webhook_deliveries", [column])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("delivery_id", sa.Integer(), sa.ForeignKey("webhook_deliveries.id"), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
    )
    op.create_index("ix_webhook_attempts_delivery_id", "webhook_attempts", ["delivery_id"])
    with op.batch_alter_table("work_items") as batch_op:
        batch_op.add_column(sa.Column("dossier_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key("fk_work_items_dossier_id", "dossiers", ["dossier_id"], ["id"])
        batch_op.create_index("ix_work_items_dossier_id", ["dossier_id"])


def downgrade() -> None:
    with op.batch_alter_table("work_items") as batch_op:
        batch_op.drop_index("ix_work_items_dossier_id")
        batch_op.drop_constraint("fk_work_items_dossier_id", type_="foreignkey")
        batch_op.drop_column("dossier_id")
    for table in ("webhook_attempts", "webhook_deliveries", "dossiers", "intake_clients"):
        op.drop_table(table)
