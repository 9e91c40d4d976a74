"""Summit plan files (TOML): load with errors that name file, line and key path; save.

A plan file is human-editable and diff-friendly: each collection is a table keyed by record id
(``[tasks.venue-survey]``) and defaults are left out when saving. ``format_version`` says which
version of the format the file follows; :func:`upgrade_data` migrates older files.
"""

from __future__ import annotations

import copy
import re
import tomllib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from summitry.domain.base import (
    DATE_FORM,
    ESTIMATE_FORM,
    JOINT,
    MAX_WORKING_DAYS,
    SLUG_PATTERN,
    Estimate,
    clip,
)
from summitry.domain.base import echo as _echo
from summitry.domain.checks import plan_problems, suggest
from summitry.domain.plan import COLLECTIONS, FORMAT_VERSION, SETTINGS, UNCHECKED, Plan, record_type
from summitry.errors import InputError, KeyPath, PlanError, Problem, format_path
from summitry.io.textfile import read_text, write_text
from summitry.io.tomlkeys import MAX_DEPTH, key_lines, line_of
from summitry.io.tomlwrite import dumps as toml_dumps

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _preferences_as_records(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 → 2: each delegation's venue weights and vetoes become its own records.

    Format 1 kept them inside joint records (``venue_criteria.<c>.weights.<party>`` and
    ``venues.<v>.unacceptable_to``). Each moved value keeps the label of the record it came
    from, so upgrading makes nothing narrower or wider: values from records of one label go to
    one ``venue_preferences`` record of that label, held by the party.
    """
    data = copy.deepcopy(data)
    taken = {key for name in COLLECTIONS for key in _table(data, name)}
    groups: dict[tuple[str, str], dict[str, Any]] = {}

    def group(party: str, source: dict[str, Any]) -> dict[str, Any]:
        label = {"visibility": source.get("visibility", JOINT)}
        if source.get("compartments"):
            label["compartments"] = source["compartments"]
        key = (party, repr(sorted(label.items())))
        if key not in groups:
            groups[key] = {"held_by": party, **label}
        return groups[key]

    for cid, body in _table(data, "venue_criteria").items():
        weights = body.pop("weights", None) if isinstance(body, dict) else None
        for party, weight in (weights or {}).items():
            group(party, body).setdefault("weights", {})[cid] = weight
    for vid, body in _table(data, "venues").items():
        vetoes = body.pop("unacceptable_to", None) if isinstance(body, dict) else None
        for party in vetoes or ():
            group(party, body).setdefault("vetoes", []).append(vid)
    preferences = data.setdefault("venue_preferences", {})
    for (party, _), record in groups.items():
        rid, n = f"{party}-venue-preferences", 1
        while rid in taken:
            n += 1
            rid = f"{party}-venue-preferences-{n}"
        taken.add(rid)
        preferences[rid] = record
    return data


def _looks_like_format_1(data: dict[str, Any]) -> bool:
    criteria = _table(data, "venue_criteria").values()
    venues = _table(data, "venues").values()
    return any(isinstance(c, dict) and "weights" in c for c in criteria) or any(
        isinstance(v, dict) and "unacceptable_to" in v for v in venues
    )


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name)
    return table if isinstance(table, dict) else {}


MIGRATIONS: dict[int, Migration] = {1: _preferences_as_records}
"""Steps that turn a plan of format version ``n`` into version ``n + 1``, keyed by ``n``."""


def load(path: Path) -> Plan:
    """Read and validate a plan file.

    Raises :class:`~summitry.errors.InputError` for unreadable files and
    :class:`~summitry.errors.PlanError` naming the line of every problem.
    Usage: ``plan = load(Path("summit.toml"))``.
    """
    return loads(read_text(path), source=str(path))


def loads(text: str, source: str = "<plan>") -> Plan:
    """Parse and validate the text of a plan file; ``source`` names it in errors.

    Usage: ``plan = loads(Path("summit.toml").read_text(), source="summit.toml")``.
    """
    return from_data(read_data(text, source), text, source)


def read_data(text: str, source: str = "<plan>") -> dict[str, Any]:
    """Parse the text of a plan file of the current format into plain data, unvalidated.

    Usage: ``data = read_data(Path("summit.toml").read_text(), "summit.toml")``.
    """
    data = parse_toml(text, source)
    # A hand-written plan without format_version is read as the current format, unless it
    # holds what only format 1 had.
    version = data.get("format_version", 1 if _looks_like_format_1(data) else FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        line = line_of(key_lines(text), ("format_version",))
        raise PlanError([Problem(("format_version",), "must be a whole number", source, line)])
    if version < 1:
        line = line_of(key_lines(text), ("format_version",))
        raise InputError(
            f"{source}:{line}: format_version {version} is not a format version; they run "
            f"from 1 to {FORMAT_VERSION}"
        )
    if version > FORMAT_VERSION:
        raise InputError(
            f"{source}: format_version {version} was written by a newer summitry "
            f"(this one reads up to {FORMAT_VERSION}); upgrade summitry"
        )
    if version < FORMAT_VERSION:
        raise InputError(
            f"{source}: format_version {version} is older than {FORMAT_VERSION}; "
            "upgrade the file to the current format first"
        )
    return data


_TOO_DEEP = (
    f"tables and arrays are nested more than {MAX_DEPTH} levels deep; a plan file nests "
    f"at most {MAX_DEPTH}"
)

# A token that looks like a date but is not a TOML one (2024-7-19, 2024/07/19): TOML reads
# its leading digits as a number and then trips over the rest.
_DATE_LIKE = re.compile(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}")
_TOML_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into one line with file, line and column.

    Also refuses (one line) values nested more than ``MAX_DEPTH`` levels deep, so that nothing
    after parsing (the key locator, validation, views) meets a structure deep enough to
    exhaust the stack.

    Usage: ``data = parse_toml(text, "summit.toml")``.
    """
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except RecursionError:
        # tomllib recurses once per level: far past MAX_DEPTH, it runs out of stack first.
        raise InputError(f"{source}: {_TOO_DEEP}") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(_syntax_error(str(err), text, source)) from None
    deep = _too_deep(data)
    if deep is not None:
        line = line_of(key_lines(text), deep)
        where = f"{source}:{line}" if line is not None else source
        raise InputError(f"{where}: {clip(format_path(deep[:2]))}: {_TOO_DEEP}")
    return data


def _syntax_error(message: str, text: str, source: str) -> str:
    """The TOML reader's message as one line of ours: file, line, column and the reason."""
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match is None:
        # tomllib names no line when the text ends too early.
        reason = message.split(" (")[0]
        line = text.rstrip("\n").count("\n") + 1
        return (
            f"{source}:{line}: not valid TOML: {reason[:1].lower()}{reason[1:]}"
            " (the file ends too early)"
        )
    line, column = int(match.group(1)), int(match.group(2))
    reason = message[: match.start()].strip()
    reason = reason[:1].lower() + reason[1:]
    lines = text.splitlines()
    written = lines[line - 1] if 0 < line <= len(lines) else ""
    for token in _DATE_LIKE.finditer(written):
        # The column tomllib names falls inside (or just after) the token it could not read.
        if token.start() < column <= token.end() + 1 and not _TOML_DATE.fullmatch(token.group()):
            reason = f"{_echo(token.group())} is not a date: {DATE_FORM}"
            break
    return f"{source}:{line}:{column}: not valid TOML: {reason}"


def _too_deep(data: dict[str, Any]) -> KeyPath | None:
    """The key path of a value nested deeper than ``MAX_DEPTH``, or None (without recursing)."""
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
    return None


def from_data(data: dict[str, Any], text: str = "", source: str = "<plan>") -> Plan:
    """Validate parsed plan data; ``text`` (the file's text) lets errors name lines.

    Every problem is reported in one go, in file order: wrong fields of each record and
    references that point nowhere alike.
    Usage: ``plan = from_data(tomllib.loads(text), text, "summit.toml")``.
    """
    try:
        return Plan.model_validate(data)
    except (ValidationError, PlanError):
        pass  # collect every problem below, not just those of the first failing stage
    problems = locate(data_problems(data), text, source)
    raise PlanError(problems or [Problem((), "invalid plan", source)]) from None


def locate(problems: list[Problem], text: str, source: str) -> list[Problem]:
    """The problems with file and line named, in file order (``text`` is the file's text).

    Usage: ``locate(problems, Path("summit.toml").read_text(), "summit.toml")``.
    """
    lines = key_lines(text) if text else {}
    located = [_one_line(p).located(source, line_of(lines, p.path)) for p in problems]
    order = {id(p): i for i, p in enumerate(located)}
    located.sort(key=lambda p: (p.line if p.line is not None else 1 << 30, order[id(p)]))
    return located


def data_problems(data: dict[str, Any]) -> list[Problem]:
    """Every problem of plan data: each record validated alone, then the plan as a whole.

    Usage: ``for problem in data_problems(tomllib.loads(text)): print(problem)``.
    """
    problems: list[Problem] = []
    top = {key: value for key, value in data.items() if key not in COLLECTIONS}
    try:
        shell = Plan.model_validate(top, context={UNCHECKED: True})
    except ValidationError as err:
        problems += _problems(err.errors())
        shell = None
    valid: dict[str, dict[str, Any]] = {}
    present: dict[str, set[str]] = {}
    for name in COLLECTIONS:
        records = data.get(name, {})
        valid[name] = {}
        if isinstance(records, list | tuple):
            records = {str(getattr(r, "id", None) or (r or {}).get("id")): r for r in records}
        if not isinstance(records, dict):
            problems.append(Problem((name,), f"must be a table of {name.replace('_', ' ')}"))
            continue
        kind = record_type(name)
        for key, body in records.items():
            fields = {"id": key, **body} if isinstance(body, dict) else body
            try:
                valid[name][key] = kind.model_validate(fields)
            except ValidationError as err:
                problems += _problems(err.errors(), (name, key))
                present.setdefault(name, set()).add(key)
    if shell is not None:
        partial = shell.model_copy(update=valid)
        problems += plan_problems(partial, present)
    return problems


def dumps(plan: Plan) -> str:
    """Render a plan as plan-file TOML, leaving out defaults.

    Usage: ``Path("summit.toml").write_text(dumps(plan))``.
    """
    return "# A summit plan for summitry; see docs/plan-format.md.\n" + toml_dumps(to_data(plan))


def to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in plan-file shape: records keyed by id, without defaults.

    Usage: ``to_data(plan)["tasks"]["venue-survey"]["estimate"]``.
    """
    data = plan.model_dump(mode="python", exclude_defaults=True, exclude_none=True)
    out: dict[str, Any] = {"format_version": plan.format_version, "summit": data["summit"]}
    for settings in SETTINGS:
        if data.get(settings):
            out[settings] = data[settings]
    for name in COLLECTIONS:
        records = data.get(name)
        if records:
            out[name] = {rid: _without_id(fields) for rid, fields in records.items()}
    plain: dict[str, Any] = _plain(out)
    return plain


def save(plan: Plan, path: Path) -> None:
    """Write a plan file atomically.

    Usage: ``save(plan, Path("summit.toml"))``.
    """
    write_text(path, dumps(plan))


def upgrade_data(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Migrate parsed plan data to the current format; returns it and the version it had.

    Usage: ``data, old = upgrade_data(tomllib.loads(text))``.
    """
    # Upgrading a file that does not say its format takes it for the first one.
    version = data.get("format_version", 1)
    # Only a version with a migration step (or the current one) can be upgraded: anything
    # else (0, -1, true, "one", 99) would have no step to run.
    known = not isinstance(version, bool) and isinstance(version, int)
    if not known or (version not in MIGRATIONS and version != FORMAT_VERSION):
        raise InputError(
            f"format_version {_echo(version)} is not one this summitry can upgrade "
            f"(it upgrades {min(MIGRATIONS, default=FORMAT_VERSION)} to {FORMAT_VERSION})"
        )
    original = version
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["format_version"] = version
    return data, original


_LEADING_FIELDS = ("name", "title", "workstream")


def _without_id(fields: dict[str, Any]) -> dict[str, Any]:
    # Name first, then the rest in declaration order: the way people read a record.
    lead = {key: fields[key] for key in _LEADING_FIELDS if key in fields}
    return lead | {key: value for key, value in fields.items() if key not in lead and key != "id"}


def _plain(value: Any) -> Any:
    # tomli-w wants lists and built-in scalars; enums become their values.
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def _problems(errors: list[ErrorDetails], prefix: KeyPath = ()) -> list[Problem]:
    """Pydantic's errors of one record (or of the plan's shell) as our problems.

    An estimate gets one problem, however many of its parts are wrong: the way to write it.
    """
    problems: list[Problem] = []
    estimates: set[KeyPath] = set()
    for error in errors:
        path: KeyPath = (*prefix, *error["loc"])
        if path and _annotation_at(path[:-1]) is Estimate:
            if path[:-1] not in estimates:
                estimates.add(path[:-1])
                problems.append(Problem(path[:-1], _estimate_message(error, path[-1])))
            continue
        problems.append(_problem(error, path))
    return problems


def _estimate_message(error: ErrorDetails, part: str | int) -> str:
    """What is wrong inside an estimate, after the way to write one."""
    kind = error["type"]
    if kind == "extra_forbidden":
        detail = f"unknown field {_echo(part)}"
    elif kind == "missing":
        detail = f"{str(part).replace('_', ' ')} is missing"
    else:
        detail = (
            f"{str(part).replace('_', ' ')} must be a number from 0 to {MAX_WORKING_DAYS:,} "
            f"(got {_echo(error.get('input'))})"
        )
    return f"{ESTIMATE_FORM}; {detail}"


def _problem(error: ErrorDetails, path: KeyPath) -> Problem:
    kind = error["type"]
    if kind == "extra_forbidden":
        field = str(path[-1])
        known = _fields_at(path[:-1])
        return Problem(path, f"unknown field {_echo(field)}{suggest(field, known)}")
    if kind == "missing":
        return Problem(path, "required field is missing")
    ours = _our_wording(kind, error.get("ctx") or {})
    if ours is None:
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        ours = message[:1].lower() + message[1:]
    if kind not in ("value_error", "assertion_error") and not isinstance(error.get("input"), dict):
        ours += f" (got {_echo(error.get('input'))})"
    return Problem(path, ours)


def _bound(value: object) -> str:
    # pydantic hands bounds over as they were declared (5000, 5000.0, 1): show whole numbers
    # as integers, as a user would write them.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _items(count: object) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


# Our wording per pydantic error type, from the error's context (``ctx``): what the value must
# be, not what "input should" be. By type, so that a pydantic upgrade that rewords its messages
# changes nothing here; a type not listed keeps pydantic's message, lower-cased.
_WORDING: dict[str, Callable[[dict[str, Any]], str]] = {
    "less_than_equal": lambda ctx: f"must be at most {_bound(ctx.get('le'))}",
    "greater_than_equal": lambda ctx: f"must be at least {_bound(ctx.get('ge'))}",
    "less_than": lambda ctx: f"must be less than {_bound(ctx.get('lt'))}",
    "greater_than": lambda ctx: f"must be more than {_bound(ctx.get('gt'))}",
    "int_parsing": lambda ctx: "must be a whole number",
    "int_type": lambda ctx: "must be a whole number",
    "int_from_float": lambda ctx: "must be a whole number",
    "float_parsing": lambda ctx: "must be a number",
    "float_type": lambda ctx: "must be a number",
    "finite_number": lambda ctx: "must be a finite number",
    "bool_parsing": lambda ctx: "must be true or false",
    "bool_type": lambda ctx: "must be true or false",
    "string_type": lambda ctx: "must be text (in quotes)",
    "string_too_long": lambda ctx: (
        f"must be at most {_bound(ctx.get('max_length'))} characters long"
    ),
    "string_too_short": lambda ctx: (
        "must not be empty"
        if ctx.get("min_length") == 1
        else f"must be at least {_bound(ctx.get('min_length'))} characters long"
    ),
    "string_pattern_mismatch": lambda ctx: (
        "must be an id: lower-case letters and digits, words joined by single hyphens "
        "(e.g. 'in-progress')"
        if ctx.get("pattern") == SLUG_PATTERN
        else f"does not have the form expected (pattern {_echo(ctx.get('pattern'))})"
    ),
    "too_short": lambda ctx: f"needs at least {_items(ctx.get('min_length'))}",
    "too_long": lambda ctx: f"takes at most {_items(ctx.get('max_length'))}",
    "literal_error": lambda ctx: f"must be {ctx.get('expected')}",
    "enum": lambda ctx: f"must be {ctx.get('expected')}",
    "list_type": lambda ctx: 'must be a list, e.g. ["a", "b"]',
    "tuple_type": lambda ctx: 'must be a list, e.g. ["a", "b"]',
    "set_type": lambda ctx: 'must be a list, e.g. ["a", "b"]',
    "dict_type": lambda ctx: "must be a table",
    "model_type": lambda ctx: "must be a table",
    "model_attributes_type": lambda ctx: "must be a table",
}


def _our_wording(kind: str, ctx: dict[str, Any]) -> str | None:
    """Our message for a pydantic error type, or None to keep pydantic's own."""
    wording = _WORDING.get(kind)
    return wording(ctx) if wording is not None else None


MESSAGE_LIMIT = 500
"""The longest message of a plan problem; values inside it are already cut to about 80."""


def _one_line(problem: Problem) -> Problem:
    """The problem with its message and its key path fit for one line of output.

    Keys are the user's text too: a key of a megabyte, or one holding a newline, is shown
    cut and escaped like any echoed value (the line it sits on is looked up first).
    """
    path = tuple(clip(part) if isinstance(part, str) else part for part in problem.path)
    return Problem(path, clip(problem.message, MESSAGE_LIMIT), problem.source, problem.line)


def _annotation_at(path: KeyPath) -> Any:
    """The type found by walking ``path`` from the plan (X | None taken as X), or None."""
    current: Any = Plan
    for step in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            if field is None:
                return None
            current = field.annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else None
    return _unwrap(current)


def _fields_at(path: KeyPath) -> list[str]:
    """Field names of the model found by walking ``path`` from the plan, for suggestions."""
    current = _annotation_at(path)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    # X | None → X, so that walking the model tree sees the model.
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation
