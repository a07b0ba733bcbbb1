"""work items: role in the dossier (component or result) and the failure reason without file name or fix

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("work_items") as table:
        table.add_column(sa.Column("role", sa.String(length=20), nullable=False, server_default="component"))
        table.add_column(sa.Column("failure_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("work_items") as table:
        table.drop_column("failure_reason")
        table.drop_column("role")
