"""Initial schema: postings, posting_skills, crawl_runs, digest_runs, digest_sent and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

The tables are written out here (not taken from models.py) so that this revision creates the same
schema forever, whatever later revisions change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The exact expression the PostgreSQL full-text queries use, so the planner picks the index.
PG_FTS_EXPR = (
    "to_tsvector('english', coalesce(title,'') || ' ' || coalesce(employer,'') || ' ' "
    "|| coalesce(description_text,''))"
)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE postings_fts USING fts5(title, employer, description_text, "
    "content='postings', content_rowid='id', tokenize='porter unicode61')",
    # External content: the index holds no text of its own, so every change of the indexed
    # columns must be mirrored. UPDATE OF keeps bookkeeping-only updates (last_seen_at) cheap.
    """CREATE TRIGGER postings_fts_ai AFTER INSERT ON postings BEGIN
  INSERT INTO postings_fts(rowid, title, employer, description_text)
  VALUES (new.id, new.title, new.employer, new.description_text);
END""",
    """CREATE TRIGGER postings_fts_ad AFTER DELETE ON postings BEGIN
  INSERT INTO postings_fts(postings_fts, rowid, title, employer, description_text)
  VALUES ('delete', old.id, old.title, old.employer, old.description_text);
END""",
    """CREATE TRIGGER postings_fts_au AFTER UPDATE OF title, employer, description_text ON postings BEGIN
  INSERT INTO postings_fts(postings_fts, rowid, title, employer, description_text)
  VALUES ('delete', old.id, old.title, old.employer, old.description_text);
  INSERT INTO postings_fts(rowid, title, employer, description_text)
  VALUES (new.id, new.title, new.employer, new.description_text);
END""",
]


def upgrade() -> None:
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("source_id", sa.String(400), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("employer", sa.Text()),
        sa.Column("location_text", sa.Text()),
        sa.Column("city", sa.String(200)),
        sa.Column("state", sa.String(2)),
        sa.Column("postal_code", sa.String(10)),
        sa.Column("country", sa.String(2)),
        sa.Column("locations", sa.JSON(), nullable=False),
        sa.Column("workplace", sa.String(10)),
        sa.Column("employment_type", sa.String(20)),
        sa.Column("salary_min", sa.Float()),
        sa.Column("salary_max", sa.Float()),
        sa.Column("salary_currency", sa.String(3)),
        sa.Column("salary_period", sa.String(10)),
        sa.Column("salary_annual_min", sa.Float()),
        sa.Column("salary_annual_max", sa.Float()),
        sa.Column("salary_source", sa.String(12)),
        sa.Column("salary_raw", sa.Text()),
        sa.Column("salary_flag", sa.Text()),
        sa.Column("date_posted", sa.Date()),
        sa.Column("date_posted_raw", sa.Text()),
        sa.Column("valid_through", sa.Date()),
        sa.Column("description_html", sa.Text()),
        sa.Column("description_text", sa.Text()),
        sa.Column("department", sa.Text()),
        sa.Column("is_pacs_role", sa.Boolean(), nullable=False),
        sa.Column("relevance", sa.Float(), nullable=False),
        sa.Column("relevance_reasons", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("certifications", sa.JSON(), nullable=False),
        sa.Column("degree", sa.String(20)),
        sa.Column("degree_or_experience", sa.Boolean(), nullable=False),
        sa.Column("years_experience_min", sa.Float()),
        sa.Column("is_staffing_agency", sa.Boolean(), nullable=False),
        sa.Column("source_updated", sa.Text()),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), sa.ForeignKey("postings.id", ondelete="SET NULL")),
        sa.UniqueConstraint("source", "source_id", name="uq_postings_source_id"),
    )
    for name, cols in [
        ("ix_postings_open_relevant", ["closed_at", "is_pacs_role", "relevance"]),
        ("ix_postings_first_seen", ["first_seen_at"]),
        ("ix_postings_state", ["state"]),
        ("ix_postings_employer", ["employer"]),
        ("ix_postings_salary_annual_max", ["salary_annual_max"]),
        ("ix_postings_date_posted", ["date_posted"]),
        ("ix_postings_duplicate_of", ["duplicate_of"]),
    ]:
        op.create_index(name, "postings", cols)

    op.create_table(
        "posting_skills",
        sa.Column("posting_id", sa.Integer(), sa.ForeignKey("postings.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("skill", sa.String(100), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
    )
    op.create_index("ix_posting_skills_skill", "posting_skills", ["skill"])

    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("pid", sa.Integer()),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("reported", sa.Integer()),
        sa.Column("fetched", sa.Integer()),
        sa.Column("requests_saved", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text()),
        sa.Column("log_path", sa.Text()),
        sa.Column("stats", sa.JSON(), nullable=False),
    )
    op.create_index("ix_crawl_runs_source_started", "crawl_runs", ["source", "started_at"])

    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("html_path", sa.Text()),
        sa.Column("message", sa.Text()),
    )

    op.create_table(
        "digest_sent",
        sa.Column("profile", sa.String(100), primary_key=True),
        sa.Column("posting_id", sa.Integer(), sa.ForeignKey("postings.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("digest_id", sa.Integer(), sa.ForeignKey("digest_runs.id", ondelete="SET NULL")),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
    )

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_postings_fts ON postings USING gin ({PG_FTS_EXPR})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("postings_fts_au", "postings_fts_ad", "postings_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS postings_fts")
    for table in ("digest_sent", "digest_runs", "crawl_runs", "posting_skills", "postings"):
        op.drop_table(table)
