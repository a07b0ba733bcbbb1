"""documents say which form they are (paper, era of the wordings, parents' order, columns, entries)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("form", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("form_version", sa.String(length=60), nullable=True))
        batch.create_index("ix_documents_form_version", ["form_version"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_form_version")
        batch.drop_column("form_version")
        batch.drop_column("form")
