"""the audit log is asked by action and actor (the worklist, re-issues)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_action_actor", "audit_log", ["action", "actor"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_action_actor", table_name="audit_log")
