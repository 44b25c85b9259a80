"""Add the job's conditions: postings.conditions (JSON) and the on_call / travel / shift columns
that queries filter on; and postings.salary_ranges (pay by location or level). Existing rows get empty conditions; the next crawl of a source fills them
(its postings' content hash changes, so they are rewritten).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("postings", sa.Column("salary_ranges", sa.JSON(), nullable=True))
    op.add_column("postings", sa.Column("conditions", sa.JSON(), nullable=True))
    op.add_column("postings", sa.Column("on_call", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("postings", sa.Column("travel", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("postings", sa.Column("shift", sa.String(60), nullable=True))
    op.create_index("ix_postings_on_call", "postings", ["on_call"])
    op.create_index("ix_postings_travel", "postings", ["travel"])


def downgrade() -> None:
    op.drop_index("ix_postings_travel", "postings")
    op.drop_index("ix_postings_on_call", "postings")
    for name in ("shift", "travel", "on_call", "conditions", "salary_ranges"):
        op.drop_column("postings", name)  # SQLite 3.35+ drops a column in place
