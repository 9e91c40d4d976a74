"""A TOML writer tuned for diff-friendly plan files.

``tomli-w`` writes every array over several lines and every nested table as a section, which
makes a 40-task plan hard to read and noisy to diff. Here short values stay on one line
(``estimate = [3, 5, 9]``, ``expected_completion = { start = ..., end = ... }``) and only
nested records become ``[section]`` headers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from summitry.errors import InputError

_BARE = re.compile(r"[A-Za-z0-9_-]+")
INLINE_WIDTH = 100


def dumps(data: Mapping[str, Any]) -> str:
    """Render a mapping as TOML text.

    Usage: ``dumps({"summit": {"title": "Talks"}})`` gives ``[summit]`` and ``title = "Talks"``.
    """
    lines: list[str] = []
    _table(lines, (), data)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(lines: list[str], path: tuple[str, ...], data: Mapping[str, Any]) -> None:
    sections = {key: value for key, value in data.items() if _is_section(value, len(path))}
    plain = {key: value for key, value in data.items() if key not in sections}
    if path and (plain or not sections):
        lines.extend(["", f"[{'.'.join(_key(part) for part in path)}]"])
    lines.extend(f"{_key(key)} = {_value(value)}" for key, value in plain.items())
    for key, value in sections.items():
        _table(lines, (*path, key), value)


def _is_section(value: Any, depth: int) -> bool:
    # The records of a collection (depth 1) always get their own [section]; deeper mappings
    # only when they hold mappings or would not fit on one line.
    if not isinstance(value, Mapping):
        return False
    if depth == 1:
        return True
    if any(isinstance(item, Mapping) for item in value.values()):
        return True
    return len(_value(value)) > INLINE_WIDTH


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    # TOML basic strings forbid raw control characters (including DEL); escape them all.
    escaped = _ESCAPE.sub(
        lambda match: _ESCAPES.get(match.group(), f"\\u{ord(match.group()):04x}"), text
    )
    return f'"{escaped}"'


_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"cannot write the non-finite number {value} to a plan file")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        inner = ", ".join(f"{_key(key)} = {_value(item)}" for key, item in value.items())
        return "{ " + inner + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
