"""field values: the administrative unit a place was matched to

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("field_values") as batch_op:
        batch_op.add_column(sa.Column("admin_unit", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("field_values") as batch_op:
        batch_op.drop_column("admin_unit")
