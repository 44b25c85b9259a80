"""Digests: the new, relevant postings of a profile, ranked and explained, as a page and an email.

``run_digest(config, profile, html_path, email, since, dry_run, now)`` does it all; the modules
are its steps: ``select`` (which postings), ``rank`` (match scores and tiers), ``summary``
(counts, pay chart, skills, states, source health), ``render`` (Jinja2) and ``mail`` (SMTP).
"""

from pacsjobs.digest.run import DigestResult, run_digest

__all__ = ["DigestResult", "run_digest"]
