"""The ``query`` / ``export`` options that filter on the job's conditions and on partial postings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from pacsjobs.store.condition_filters import SHIFT_KINDS, ConditionFilters


def condition_options(func: Callable) -> Callable:
    """--on-call/--no-on-call, --travel/--no-travel, --shift KIND, --partial/--full."""
    options = [
        click.option("--on-call/--no-on-call", "on_call", default=None,
                     help="Only postings with (or without) on-call / after-hours duty."),
        click.option("--travel/--no-travel", "travel", default=None,
                     help="Only postings that ask for (or do not ask for) travel."),
        click.option("--shift", type=click.Choice(SHIFT_KINDS, case_sensitive=False), default=None,
                     help="Only postings that name this shift."),
        click.option("--partial/--full", "partial", default=None,
                     help="Only postings read from a search snippet alone (or only those read in full)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def pop_condition_filters(kw: dict[str, Any]) -> ConditionFilters | None:
    """The condition filters from the options (popped from ``kw``); None when none is given."""
    cf = ConditionFilters(on_call=kw.pop("on_call", None), travel=kw.pop("travel", None),
                          shift=kw.pop("shift", None), partial=kw.pop("partial", None))
    empty = cf.on_call is None and cf.travel is None and cf.shift is None and cf.partial is None
    return None if empty else cf
