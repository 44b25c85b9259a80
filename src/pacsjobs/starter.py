"""Getting started anywhere: what ``pacsjobs where`` reports and what ``pacsjobs init`` writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pacsjobs.config import Config, registry_files
from pacsjobs.errors import PacsjobsError
from pacsjobs.paths import DEFAULTS, config_file, user_config_dir
from pacsjobs.store.urls import mask_password

CONFIG_FILES = ("pacsjobs.toml", "guide.toml", "skills.toml")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Place:
    what: str
    path: str
    why: str


def places_in_use(config: Config) -> list[Place]:
    """Every path pacsjobs reads or writes with this config, and why it is that one."""
    places = config.places
    assert places is not None
    rows = [Place("config folder", str(places.config) if places.config else "(none)", places.config_why)]
    for name in CONFIG_FILES:
        path = config_file(places.config, name)
        why = "packaged default" if path.parent == DEFAULTS else "yours, over the packaged default"
        rows.append(Place(name, str(path), why))
    files = registry_files(config.dir)
    packaged = files[0].parent == DEFAULTS
    extra = f" + {len(files) - 1} files of sources.d/" if len(files) > 1 else ""
    rows.append(Place("sources", f"{files[0]}{extra}",
                      f"{'packaged registry' if packaged else 'yours (replaces the packaged registry)'}, "
                      f"{len(config.sources)} sources"))
    profiles = config.dir / "profiles"
    rows.append(Place("profiles", str(profiles), "yours" if profiles.is_dir() else "none yet"))
    rows.append(Place("data folder", str(places.home), places.home_why))
    rows.append(Place("database", mask_password(config.database_url),
                      "$PACSJOBS_DATABASE_URL" if _env_database() else "[database] url"))
    rows.append(Place("digests", config.digest.output_dir, "[digest] output_dir"))
    from pacsjobs.crawl import default_log_dir

    rows.append(Place("crawl logs", str(default_log_dir(config)), "beside the SQLite file"
                      if config.database_url.startswith("sqlite") else "in the data folder"))
    return rows


def _env_database() -> bool:
    import os

    from pacsjobs.config import DATABASE_ENV

    return bool(os.environ.get(DATABASE_ENV))


STARTER = """\
# pacsjobs settings. Every key is optional: what you leave out comes from the packaged defaults
# (see them with `pacsjobs where`). Copy a key here to change it.
# Secrets never live here: the SMTP password comes from $PACSJOBS_SMTP_PASSWORD, the USAJOBS key
# from $USAJOBS_API_KEY / $USAJOBS_EMAIL.

[crawler]
# Sent in every request's User-Agent so site owners can reach whoever runs this crawler.
contact = {contact}

# [database]
# url = "sqlite:///pacsjobs.db"           # relative paths are taken from the data folder
# url = "postgresql+psycopg://user@host/pacsjobs"

# [digest]
# output_dir = "digests"
# profile = "guide"

# [mail]                                  # for `pacsjobs digest --email`
# host = "smtp.example.org"
# port = 587
# security = "starttls"                   # starttls | ssl | none
# username = "me@example.org"
# sender = "pacsjobs <me@example.org>"
# to = ["me@example.org"]

# [schedule]                              # for `pacsjobs schedule`
# timezone = "America/New_York"
# crawl = "0 */6 * * *"
# digest = "0 7 * * *"
"""

PROFILE_EXAMPLE = """\
# An example profile: everything not set here comes from the guide (guide.toml).
# Use it with `pacsjobs query --profile example` or `pacsjobs digest --profile example`.
# states = ["OH", "PA"]
# remote = "prefer"            # any | prefer | only
# salary_floor = 85000
"""


def check_contact(contact: str) -> str:
    contact = contact.strip()
    if not (EMAIL_RE.fullmatch(contact) or re.match(r"https?://\S+$", contact)):
        raise PacsjobsError(f"contact {contact!r} is not an email address or URL people can reach")
    return contact


def write_starter(folder: Path | None, contact: str, force: bool = False) -> Path:
    """Write a commented starter config folder; refuse to overwrite one without ``force``."""
    import json

    folder = (folder or user_config_dir()).expanduser()
    target = folder / "pacsjobs.toml"
    if folder.exists() and not folder.is_dir():
        raise PacsjobsError(f"{folder} is a file, not a folder")
    if target.exists() and not force:
        raise PacsjobsError(f"{target} already exists (use --force to overwrite it)")
    contact = check_contact(contact)
    (folder / "profiles").mkdir(parents=True, exist_ok=True)
    target.write_text(STARTER.format(contact=json.dumps(contact)), encoding="utf-8")
    example = folder / "profiles" / "example.toml"
    if not example.exists() or force:
        example.write_text(PROFILE_EXAMPLE, encoding="utf-8")
    return folder.resolve()
