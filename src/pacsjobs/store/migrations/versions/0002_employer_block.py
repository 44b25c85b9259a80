"""Add postings.employer_block, the blocking key of duplicate detection, and fill it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pacsjobs.understand.dedupe import employer_block

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column("postings", sa.Column("employer_block", sa.String(100)))
    op.create_index("ix_postings_employer_block", "postings", ["employer_block", "last_seen_at"])
    postings = sa.table("postings", sa.column("id", sa.Integer), sa.column("employer", sa.Text),
                        sa.column("employer_block", sa.String))
    bind = op.get_bind()
    last = 0
    while True:  # keyset pages: memory stays flat on a large database
        rows = bind.execute(sa.select(postings.c.id, postings.c.employer)
                            .where(postings.c.id > last).order_by(postings.c.id).limit(_BATCH)).all()
        if not rows:
            break
        values = [{"pid": r.id, "block": employer_block(r.employer)} for r in rows]
        bind.execute(postings.update().where(postings.c.id == sa.bindparam("pid"))
                     .values(employer_block=sa.bindparam("block")), values)
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_postings_employer_block", "postings")
    op.drop_column("postings", "employer_block")  # SQLite 3.35+ drops a column in place
