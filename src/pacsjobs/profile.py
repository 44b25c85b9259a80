"""Profiles: what a job seeker brings and wants (``guide.toml``, packaged and the user's, and ``profiles/*.toml``).

The default profile "guide" comes from the career guide. Another profile sets only the keys it
changes; the rest are taken from guide.toml. Skill names are checked against skills.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacsjobs.config import read_toml, reject_unknown, take
from pacsjobs.errors import ConfigError, PacsjobsError
from pacsjobs.paths import config_file, default_file, find_places

COMPONENTS = ("role", "skills", "salary", "experience", "education", "certification", "location")
DEFAULT_WEIGHTS = {"role": 25.0, "skills": 25.0, "salary": 20.0, "experience": 10.0, "education": 5.0,
                   "certification": 5.0, "location": 10.0}
ROLES = ("administrator", "informatics", "technologist", "it")  # role families (pacsjobs.understand.match)
STRONG_FIT = 88.0  # the default score from which a posting is a "Strong fit" (docs/matching.md)
DEGREES = ("associate", "bachelor", "master", "doctorate")
REMOTE = ("any", "prefer", "only")
ON_CALL = ("ok", "lower", "drop")  # what to do with postings that state on-call duty
GUIDE = "guide"
_STATE = re.compile(r"[A-Z]{2}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass
class Profile:
    """A job seeker's skills, credentials, pay range and place preferences, and score weights."""

    name: str = GUIDE
    skills: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    degree: str | None = "bachelor"
    years_min: float | None = 3.0
    years_max: float | None = 5.0
    salary_min: float | None = 80615.0
    salary_max: float | None = 100189.0
    states: list[str] = field(default_factory=list)
    remote: str = "any"  # any | prefer | only
    salary_floor: float | None = None
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    to: list[str] = field(default_factory=list)
    include_non_us: bool = False
    role: str = "administrator"  # the target role family
    strong_fit: float = STRONG_FIT
    on_call: str = "ok"  # ok | lower | drop


def _folder(config_dir: Path | str | None) -> Path:
    return Path(config_dir) if config_dir else find_places().config_dir


def list_profiles(config_dir: Path | str | None = None) -> list[str]:
    """Names of the profiles in a config folder: "guide" first, then profiles/*.toml sorted."""
    folder = _folder(config_dir)
    extra = sorted(p.stem for p in (folder / "profiles").glob("*.toml")
                   if p.stem != GUIDE and _NAME.fullmatch(p.stem))
    return [GUIDE, *extra]


def _names(values: list[Any], key: str, file: Path, kind: str, vocab: Any) -> list[str]:
    out: list[str] = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(str(file), key, f"must be a list of names, got {value!r}")
        name = value.strip()
        if vocab is not None:
            canonical = vocab.canonical(name)
            term = vocab.term(canonical) if canonical else None
            if term is None:
                raise ConfigError(str(file), key, f"{name!r} is not in skills.toml (add it there or fix the name)")
            if (term.kind == "certification") != (kind == "certification"):
                raise ConfigError(str(file), key, f"{name!r} is a {term.kind} in skills.toml, not a {kind}")
            name = term.name
        if name not in out:
            out.append(name)
    return out


def _apply(profile: Profile, data: dict[str, Any], file: Path, vocab: Any) -> None:
    """Overlay the keys of one profile file onto ``profile``, validating each."""
    data = dict(data)
    p = profile
    if "skills" in data:
        p.skills = _names(take(data, "skills", list, [], file), "skills", file, "skill", vocab)
    if "certifications" in data:
        p.certifications = _names(take(data, "certifications", list, [], file), "certifications", file,
                                  "certification", vocab)
    if "degree" in data:
        degree = take(data, "degree", str, None, file)
        degree = degree.strip().lower() or None
        if degree in ("none", ""):
            degree = None
        if degree is not None and degree not in DEGREES:
            raise ConfigError(str(file), "degree", f"must be one of {', '.join(DEGREES)} or \"\", got {degree!r}")
        p.degree = degree
    for key in ("years_min", "years_max", "salary_min", "salary_max", "salary_floor"):
        if key in data:
            value = take(data, key, float, None, file)
            if value < 0:
                raise ConfigError(str(file), key, "must not be negative")
            setattr(p, key, (value or None) if key == "salary_floor" else value)
    if "states" in data:
        states = take(data, "states", list, [], file)
        if not all(isinstance(s, str) and _STATE.fullmatch(s.strip().upper()) for s in states):
            raise ConfigError(str(file), "states", "must be a list of two-letter USPS codes such as \"OH\"")
        p.states = [s.strip().upper() for s in states]
    if "remote" in data:
        remote = take(data, "remote", str, "any", file).strip().lower()
        if remote not in REMOTE:
            raise ConfigError(str(file), "remote", f"must be one of {', '.join(REMOTE)}, got {remote!r}")
        p.remote = remote
    if "role" in data:
        role = take(data, "role", str, "administrator", file).strip().lower()
        if role not in ROLES:
            raise ConfigError(str(file), "role", f"must be one of {', '.join(ROLES)}, got {role!r}")
        p.role = role
    if "strong_fit" in data:
        strong = take(data, "strong_fit", float, STRONG_FIT, file)
        if not 0 < strong <= 100:
            raise ConfigError(str(file), "strong_fit", f"must be a score above 0 and at most 100, got {strong:g}")
        p.strong_fit = strong
    if "on_call" in data:
        on_call = take(data, "on_call", str, "ok", file).strip().lower()
        if on_call not in ON_CALL:
            raise ConfigError(str(file), "on_call", f"must be one of {', '.join(ON_CALL)}, got {on_call!r}")
        p.on_call = on_call
    if "include_non_us" in data:
        p.include_non_us = take(data, "include_non_us", bool, False, file)
    if "to" in data:
        to = take(data, "to", list, [], file)
        if not all(isinstance(a, str) and re.fullmatch(r"[^@\s]+@[^@\s]+", a) for a in to):
            raise ConfigError(str(file), "to", "must be a list of email addresses")
        p.to = list(to)
    if "weights" in data:
        table = take(data, "weights", dict, {}, file)
        weights = dict(p.weights)
        for key, value in table.items():
            if key not in COMPONENTS:
                raise ConfigError(str(file), f"weights.{key}", f"unknown component (known: {', '.join(COMPONENTS)})")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(str(file), f"weights.{key}", f"must be a number >= 0, got {value!r}")
            weights[key] = float(value)
        if not any(weights.values()):
            raise ConfigError(str(file), "weights", "at least one weight must be above 0")
        p.weights = weights
    reject_unknown(data, file)
    lo_hi = (("years_min", "years_max"), ("salary_min", "salary_max"))
    for lo, hi in lo_hi:
        a, b = getattr(p, lo), getattr(p, hi)
        if a is not None and b is not None and a > b:
            raise ConfigError(str(file), lo, f"{lo} ({a:g}) is above {hi} ({b:g})")


def _vocab(folder: Path) -> Any:
    from pacsjobs.understand.vocabulary import load_vocabulary

    return load_vocabulary(folder)


def load_profile(config_dir: Path | str | None = None, name: str = GUIDE) -> Profile:
    """The named profile: guide.toml, overlaid by profiles/<name>.toml for any other name."""
    folder = _folder(config_dir)
    known = list_profiles(folder)
    if name not in known:
        raise PacsjobsError(f"unknown profile {name!r} (known: {', '.join(known)})")
    vocab = _vocab(folder)
    profile = Profile(name=GUIDE)
    # The packaged guide, then the user's guide.toml over it key by key.
    for guide_file in dict.fromkeys((default_file("guide.toml"), config_file(folder, "guide.toml"))):
        _apply(profile, read_toml(guide_file), guide_file, vocab)
    if name != GUIDE:
        file = folder / "profiles" / f"{name}.toml"
        profile.name = name
        _apply(profile, read_toml(file), file, vocab)
    return profile
