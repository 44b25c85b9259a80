"""Reading the config's TOML files: parse with line and column, take typed keys, reject unknown ones.

Every problem is one ``ConfigError`` naming the file and the dotted key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pacsjobs.errors import ConfigError

_MISSING = object()


def read_toml(path: Path, required: bool = True) -> dict[str, Any]:
    """Parse one TOML file, turning syntax errors into a ConfigError with line and column."""
    if not path.exists():
        if required:
            raise ConfigError(str(path), None, "file not found")
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), None, f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), None, f"cannot read: {exc.strerror}") from None


_TYPE_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


def take(table: dict[str, Any], key: str, kind: type, default: Any, file: Path, prefix: str = "") -> Any:
    """Pop ``key`` from ``table`` checking its type; report file and dotted key when wrong."""
    value = table.pop(key, _MISSING)
    if value is _MISSING:
        return default
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ConfigError(str(file), f"{prefix}{key}", f"must be {_TYPE_NAMES.get(kind, kind.__name__)}, got {value!r}")
    return value


def reject_unknown(table: dict[str, Any], file: Path, prefix: str = "") -> None:
    for key in table:
        raise ConfigError(str(file), f"{prefix}{key}", "unknown key")
