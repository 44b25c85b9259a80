"""The search filters shared by ``query`` and ``export``: options, callbacks, SearchFilters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from pacsjobs.cli.query_conditions import condition_options, pop_condition_filters
from pacsjobs.errors import PacsjobsError
from pacsjobs.store.search import (
    SearchFilters,
    parse_duration,
    parse_money,
    parse_state,
)


# Callbacks raise PacsjobsError (not click.BadParameter): bad input gets one "error: ..." line.
def _states(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    return [parse_state(v) for v in values]


def _duration(ctx: click.Context, param: click.Parameter, value: str | None):
    return parse_duration(value) if value else None


def _money(ctx: click.Context, param: click.Parameter, value: str | None):
    return parse_money(value) if value else None


def filter_options(func: Callable) -> Callable:
    """The search filters shared by ``query`` and ``export``."""
    options = [
        click.argument("text", nargs=-1),
        click.option("--state", "states", multiple=True, callback=_states, metavar="XX",
                     help="USPS state code (repeatable: any of them)."),
        click.option("--city", help="City (case-insensitive)."),
        click.option("--remote", is_flag=True, help="Remote postings only."),
        click.option("--employer", help="Employer name contains this (case-insensitive)."),
        click.option("--source", help="A source name, or a platform such as greenhouse."),
        click.option("--skill", "skills", multiple=True, metavar="SKILL",
                     help="Asks for this skill or certification (repeatable: all of them)."),
        click.option("--min-salary", callback=_money, metavar="USD",
                     help="Annual pay reaches this (80000, 80k)."),
        click.option("--posted-within", callback=_duration, metavar="AGE",
                     help="Posted (or first seen) within 12h, 7d, 2w."),
        click.option("--include-closed", is_flag=True, help="Also postings no longer online."),
        click.option("--all", "all_roles", is_flag=True,
                     help="Also postings the classifier does not call PACS roles."),
    ]
    for option in reversed(options):
        func = option(func)
    return condition_options(func)


def build_filters(kw: dict[str, Any], limit: int | None) -> SearchFilters:
    """SearchFilters from the shared options (popped from ``kw``)."""
    words = kw.pop("text") or ()
    for word in words:
        if word.startswith("--") and len(word) > 2:
            raise PacsjobsError(f"no such option: {word.split('=')[0]} (see --help)")
    text = " ".join(words).strip() or None
    return SearchFilters(
        text=text, states=kw.pop("states"), city=kw.pop("city"), remote=kw.pop("remote"),
        employer=kw.pop("employer"), source=kw.pop("source"), skills=list(kw.pop("skills")),
        min_salary=kw.pop("min_salary"), posted_within=kw.pop("posted_within"),
        include_closed=kw.pop("include_closed"), relevant_only=not kw.pop("all_roles"), limit=limit,
        conditions=pop_condition_filters(kw))



# Unknown options are kept as text so that "pacsjobs query pacs -senior" excludes a word.
TEXT_COMMAND = {"ignore_unknown_options": True}
