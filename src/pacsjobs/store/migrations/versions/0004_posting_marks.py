"""Add posting_marks: a person's applied / interested / ignored marks and notes, with their dates.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
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
        "posting_marks",
        sa.Column("profile", sa.String(100), primary_key=True),
        sa.Column("posting_id", sa.Integer(), sa.ForeignKey("postings.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("status", sa.String(12)),
        sa.Column("status_at", sa.DateTime()),
        sa.Column("note", sa.Text()),
        sa.Column("noted_at", sa.DateTime()),
        sa.Column("reported_at", sa.DateTime()),
        sa.Column("pay_min", sa.Float()),
        sa.Column("pay_max", sa.Float()),
    )
    op.create_index("ix_posting_marks_status", "posting_marks", ["profile", "status"])


def downgrade() -> None:
    op.drop_index("ix_posting_marks_status", "posting_marks")
    op.drop_table("posting_marks")
