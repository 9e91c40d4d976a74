"""Documentation that cannot drift: commands, JSON kinds and plan fields must all be described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from pydantic import BaseModel

from summitry.cli import app
from summitry.domain import (
    COLLECTIONS,
    ForecastSettings,
    SitrepSettings,
    Summit,
    VenueRequirements,
    WorkCalendar,
)
from summitry.domain.plan import record_type
from summitry.io.planfile import loads

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
JSON_DOC = (ROOT / "docs" / "json-output.md").read_text(encoding="utf-8")
FORMAT_DOC = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
ROOT_COMMAND = typer.main.get_command(app)
COMMANDS = sorted(ROOT_COMMAND.commands)  # type: ignore[attr-defined]


def _json_commands() -> list[str]:
    """Every command (``workspace list`` for one of a group) that takes ``--json``."""
    found: list[str] = []
    for name, command in ROOT_COMMAND.commands.items():  # type: ignore[attr-defined]
        inner = getattr(command, "commands", None)
        pairs = [(f"{name} {sub}", c) for sub, c in inner.items()] if inner else [(name, command)]
        found += [full for full, c in pairs if any(p.name == "json_out" for p in c.params)]
    return sorted(found)


def test_readme_opens_with_the_two_set_up_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`summitry {command}" in README


@pytest.mark.parametrize("command", _json_commands())
def test_every_json_document_is_described(command: str) -> None:
    assert f"## `summitry {command}" in JSON_DOC
    assert f'"kind": "{command.replace(" ", "-")}"' in JSON_DOC


def test_commands_without_json_are_few() -> None:
    """Only commands that report nothing but a line leave out ``--json``."""
    plain = {c.split()[0] for c in COMMANDS} - {c.split()[0] for c in _json_commands()}
    assert plain <= {"upgrade", "db", "backup", "restore", "user", "serve"}


def record_models() -> list[tuple[str, type[BaseModel]]]:
    models: list[tuple[str, type[BaseModel]]] = [
        ("summit", Summit),
        ("forecast", ForecastSettings),
        ("sitrep", SitrepSettings),
        ("venue_requirements", VenueRequirements),
    ]
    models += [(name, record_type(name)) for name in COLLECTIONS]
    return models


@pytest.mark.parametrize(("collection", "model"), record_models())
def test_every_plan_field_is_documented(collection: str, model: type[BaseModel]) -> None:
    undocumented = [
        field
        for field in model.model_fields
        if f"`{field}`" not in FORMAT_DOC and f"`{field}." not in FORMAT_DOC
    ]
    assert not undocumented, f"{collection}: {undocumented}"


def test_calendar_fields_are_documented() -> None:
    for field in WorkCalendar.model_fields:
        assert f"`calendar.{field}`" in FORMAT_DOC


def test_the_readme_and_documented_examples_load() -> None:
    readme_plan = re.search(r"```toml\n(.*?)```", README, re.S)
    assert readme_plan is not None
    assert loads(readme_plan.group(1)).tasks["site-visit"].depends_on[0].lag == 2
    examples = re.findall(r"```toml\n(.*?)```", FORMAT_DOC, re.S)
    assert examples
    for example in examples:
        loads(example)
