"""Plain text of a description that may arrive as HTML: tags, entities and runs of spaces gone."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]{0,2000}>")
_WS = re.compile(r"[ \t\r\f\v]+")


def plain(text: object) -> str:
    """Text without HTML tags or entities (descriptions may arrive as HTML); '' for non-text."""
    if not isinstance(text, str):
        return ""
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", re.sub(r"(?i)<(?:br|/p|/li|/div|/h\d)\b[^>]{0,200}>", "\n", text))
    if "&" in text:
        text = html.unescape(text)
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _WS.sub(" ", text)
    return text
