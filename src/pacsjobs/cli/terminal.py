"""Scraped text on the terminal is plain text: no Rich markup, no escape sequences.

A posting's title is whatever a job board sent. Printed through Rich, ``[link=http://evil.example]``
would become a clickable link and ``[bold red]`` a style; printed raw, an ESC sequence could do the
same (OSC 8 hyperlinks), move the cursor or retitle the window. Every command prints scraped text
through ``clean`` (click output) or ``plain`` (Rich output), nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text

MAX_LINE_CHARS = 400  # an error line quoting a whole page stays readable

# Whole escape sequences first, so no half of one (``]8;;http://...``) is left behind: OSC / DCS /
# APC / PM / SOS strings up to their terminator, CSI sequences, and two-byte escapes (7- and 8-bit).
_SEQUENCES = re.compile(
    r"(?:\x1b[\]P^_X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -~]?"
)
# Then C0 controls except tab and newline, DEL, C1 controls (which include the 8-bit CSI and OSC), and
# the bidirectional overrides and isolates that make a terminal show text in another order.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value: Any) -> str:
    """``value`` as a string a terminal shows as it is (control characters removed)."""
    return _CONTROLS.sub("", _SEQUENCES.sub("", "" if value is None else str(value)))


def one_line(value: Any, limit: int = MAX_LINE_CHARS) -> str:
    """``clean`` text folded onto one line and cut to ``limit`` characters: an error that quotes a server."""
    out = " ".join(clean(value).split())  # tabs and line breaks of every kind become one space
    return out if len(out) <= limit else out[:limit - 1] + "…"


def plain(value: Any, style: str = "") -> Text:
    """``value`` as a Rich Text: never parsed for markup or emoji codes; ``style`` is ours, not its."""
    return Text(clean(value), style=style)
