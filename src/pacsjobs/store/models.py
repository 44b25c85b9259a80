"""SQLAlchemy 2.0 models. Portable between SQLite and PostgreSQL; every time is naive UTC.

Columns mirror ``pacsjobs.record.Posting`` one to one (same names), so a row and a record convert
field by field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(), date: Date()}


class PostingRow(Base):
    """One posting of one source; (source, source_id) is its identity."""

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[str] = mapped_column(String(400))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    employer: Mapped[str | None] = mapped_column(Text)
    location_text: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    country: Mapped[str | None] = mapped_column(String(2))
    locations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    workplace: Mapped[str | None] = mapped_column(String(10))
    employment_type: Mapped[str | None] = mapped_column(String(20))
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(10))
    salary_annual_min: Mapped[float | None] = mapped_column(Float)
    salary_annual_max: Mapped[float | None] = mapped_column(Float)
    salary_source: Mapped[str | None] = mapped_column(String(12))
    salary_raw: Mapped[str | None] = mapped_column(Text)
    salary_flag: Mapped[str | None] = mapped_column(Text)
    date_posted: Mapped[date | None] = mapped_column(Date)
    date_posted_raw: Mapped[str | None] = mapped_column(Text)
    valid_through: Mapped[date | None] = mapped_column(Date)
    description_html: Mapped[str | None] = mapped_column(Text)
    description_text: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(Text)
    is_pacs_role: Mapped[bool] = mapped_column(Boolean, default=False)
    relevance: Mapped[float] = mapped_column(Float, default=0.0)
    relevance_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    partial: Mapped[bool] = mapped_column(Boolean, default=False)  # migration 0006
    skills: Mapped[list[Any]] = mapped_column(JSON, default=list)
    certifications: Mapped[list[Any]] = mapped_column(JSON, default=list)
    degree: Mapped[str | None] = mapped_column(String(20))
    degree_or_experience: Mapped[bool] = mapped_column(Boolean, default=False)
    years_experience_min: Mapped[float | None] = mapped_column(Float)
    is_staffing_agency: Mapped[bool] = mapped_column(Boolean, default=False)
    salary_ranges: Mapped[list[Any] | None] = mapped_column(JSON, default=list)  # migration 0005
    conditions: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)  # migration 0005
    on_call: Mapped[bool] = mapped_column(Boolean, default=False)
    travel: Mapped[bool] = mapped_column(Boolean, default=False)
    shift: Mapped[str | None] = mapped_column(String(60))
    source_updated: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("postings.id", ondelete="SET NULL"))
    # Store-only (not in the record): first word of the normalized employer, the block in which
    # duplicate detection looks for candidates (migration 0002).
    employer_block: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_postings_source_id"),
        Index("ix_postings_open_relevant", "closed_at", "is_pacs_role", "relevance"),
        Index("ix_postings_first_seen", "first_seen_at"),
        Index("ix_postings_state", "state"),
        Index("ix_postings_employer", "employer"),
        Index("ix_postings_salary_annual_max", "salary_annual_max"),
        Index("ix_postings_date_posted", "date_posted"),
        Index("ix_postings_duplicate_of", "duplicate_of"),
        Index("ix_postings_employer_block", "employer_block", "last_seen_at"),
        Index("ix_postings_on_call", "on_call"),
        Index("ix_postings_travel", "travel"),
    )


class PostingSkill(Base):
    """One skill or certification a posting asks for (for filters and market statistics)."""

    __tablename__ = "posting_skills"

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="skill")  # skill | certification

    __table_args__ = (Index("ix_posting_skills_skill", "skill"),)


class CrawlRun(Base):
    """One crawl of one source: when, how it ended, and what it counted."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # running | succeeded | partial (finished, but something was not fetched) | failed | interrupted
    status: Mapped[str] = mapped_column(String(20), default="running")
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))  # where ``pid`` runs (migration 0003)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    found: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    reported: Mapped[int | None] = mapped_column(Integer)  # what the source says it has
    fetched: Mapped[int | None] = mapped_column(Integer)  # what we fetched of it
    requests_saved: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    log_path: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_crawl_runs_source_started", "source", "started_at"),)


class DigestRun(Base):
    """One digest built for one profile: written, and sent or not."""

    __tablename__ = "digest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="built")  # built | sent | failed | empty
    count: Mapped[int] = mapped_column(Integer, default=0)
    html_path: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)


class DigestSent(Base):
    """A posting that a profile has been sent: it is never sent to that profile again."""

    __tablename__ = "digest_sent"

    profile: Mapped[str] = mapped_column(String(100), primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("digest_runs.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(DateTime)


class PostingMark(Base):
    """A person's mark on a posting for one profile: applied / interested / ignored, a note, when.

    ``reported_at`` and ``pay_min`` / ``pay_max`` are what the last digest told about an application,
    so the next one lists only what changed since (closed, pay changed, reposted).
    """

    __tablename__ = "posting_marks"

    profile: Mapped[str] = mapped_column(String(100), primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str | None] = mapped_column(String(12))  # applied | interested | ignored
    status_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    noted_at: Mapped[datetime | None] = mapped_column(DateTime)
    reported_at: Mapped[datetime | None] = mapped_column(DateTime)
    pay_min: Mapped[float | None] = mapped_column(Float)
    pay_max: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (Index("ix_posting_marks_status", "profile", "status"),)
