"""Shared test set-up: the Hypothesis profile, small plan texts, and the no-skip rule for CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from dbfixtures import db, keys, pg_template, postgres_db, sqlite_db

# Timing is never a test's business on shared machines.
settings.register_profile(
    "summitry", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.load_profile("summitry")

__all__ = ["db", "keys", "pg_template", "postgres_db", "sqlite_db"]  # fixtures for every test

MINIMAL_PLAN = """\
format_version = 2

[summit]
title = "Harbour Talks"

[parties.north]
name = "Northland"

[parties.south]
name = "Southland"
"""


@pytest.fixture
def minimal_plan_text() -> str:
    """The smallest valid plan: a title and two parties."""
    return MINIMAL_PLAN


@pytest.fixture
def write_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text (or bytes) to a file in the test's folder and return its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run the command line in-process; returns exit code, standard output, standard error."""
    from summitry.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (SUMMITRY_FAIL_ON_SKIP=1) a skipped test fails the run."""
    if os.environ.get("SUMMITRY_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"{len(skipped)} test(s) skipped; in CI every test must run")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
