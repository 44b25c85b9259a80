"""Add postings.partial: the posting holds only a nationwide search result's snippet, not the full
posting. Rows stored before it said so only by a reason line in relevance_reasons; those rows are
marked partial here, the others stay false.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The start of the reason line that marked a snippet-only posting (pacsjobs.sources.nationwide
# SNIPPET_REASON when this revision was written), frozen here: a migration must not change
# meaning when the code it once matched is reworded. Without its apostrophe, so the pattern is
# the same text in JSON on every backend.
SNIPPET_REASON_START = "partial: decided on the search result"


def upgrade() -> None:
    op.add_column("postings", sa.Column("partial", sa.Boolean(), nullable=False, server_default=sa.false()))
    postings = sa.table("postings", sa.column("partial", sa.Boolean()),
                        sa.column("relevance_reasons", sa.JSON()))
    op.execute(postings.update()
               .where(sa.cast(postings.c.relevance_reasons, sa.Text).like(f"%{SNIPPET_REASON_START}%"))
               .values(partial=True))


def downgrade() -> None:
    op.drop_column("postings", "partial")  # SQLite 3.35+ drops a column in place
