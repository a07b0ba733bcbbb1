"""intake clients may be bound to one receiving agency

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intake_clients") as batch:
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("intake_clients") as batch:
        batch.drop_column("agency")
