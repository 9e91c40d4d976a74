"""The workspace from the command line: load, read as a party, export, verify, back up."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from storekit import EXAMPLE

from summitry.access.labels import label_of
from summitry.access.policy import Principal, can_read
from summitry.io.planfile import load


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def russia_private() -> dict[str, set[str]]:
    """Ids of the example's records that the United States may not read."""
    plan = load(EXAMPLE)
    states = Principal.of("united-states")
    hidden: dict[str, set[str]] = {}
    for name, record in plan.records():
        if not can_read(states, label_of(record)):
            hidden.setdefault(name, set()).add(record.id)
    return hidden


def test_the_issue_walk_through(folder: Path, run_cli: Any) -> None:
    """load, then a party's sitrep and export: what the party may see, nothing of Russia's."""
    code, out, err = run_cli("load", str(EXAMPLE), "--workspace", "demo")
    assert (code, err) == (0, "")
    assert "Loaded" in out
    assert "43 tasks" in out
    code, out, err = run_cli(
        "sitrep", "--workspace", "demo", "--as", "united-states", "-o", "us.md", "--no-forecast"
    )
    assert (code, err) == (0, "")
    report = (folder / "us.md").read_text(encoding="utf-8")
    assert "Audit log" in report
    assert "joint: " in report
    assert "russia:" not in report
    code, _, err = run_cli("export", "demo", "--as", "united-states", "-o", "us.toml")
    assert (code, err) == (0, "")
    exported = tomllib.loads((folder / "us.toml").read_text(encoding="utf-8"))
    hidden = russia_private()
    assert hidden["positions"]
    for collection, ids in hidden.items():
        assert not ids & set(exported.get(collection, {})), collection
    # The party's export is what its view of the file is: the same plan.
    code, _, _ = run_cli("export", str(EXAMPLE), "--as", "united-states", "-o", "file-us.toml")
    assert code == 0
    assert (folder / "us.toml").read_text() == (folder / "file-us.toml").read_text()
    code, out, _ = run_cli("audit", "verify", "--workspace", "demo", "--against", "us.md")
    assert code == 0
    assert "chain(s) verify, and 3 circulated head(s) matched" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--workspace", "nope"], "no such database"),
        (["status"], "give a plan file, or --workspace NAME"),
        (["status", "plan.toml", "--workspace", "demo"], "not both"),
        (["workspace", "list"], "no such database"),
    ],
)
def test_errors_before_a_database_exists_are_one_line(
    folder: Path, run_cli: Any, args: list[str], message: str
) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err
    assert not (folder / "summitry.db").exists()


def test_a_workspace_that_is_not_there_gets_the_names_that_are(folder: Path, run_cli: Any) -> None:
    assert run_cli("load", str(EXAMPLE), "--workspace", "demo")[0] == 0
    code, _, err = run_cli("status", "--workspace", "dmeo", "--as", "russia")
    assert code == 2
    assert "no workspace 'dmeo' in this database (did you mean 'demo'?) (workspaces: demo)" in err
    code, _, err = run_cli("load", str(EXAMPLE), "--workspace", "demo")
    assert code == 2
    assert "already holds a plan" in err


def test_an_empty_file_is_not_a_database_yet(folder: Path, run_cli: Any) -> None:
    (folder / "summitry.db").write_bytes(b"")
    code, _, err = run_cli("status", "--workspace", "demo")
    assert code == 2
    assert "run 'summitry db upgrade'" in err
    assert run_cli("db", "upgrade")[0] == 0
    code, out, _ = run_cli("db", "upgrade")
    assert code == 0
    assert "up to date" in out


def test_backup_and_restore(folder: Path, run_cli: Any) -> None:
    assert run_cli("load", str(EXAMPLE), "--workspace", "demo")[0] == 0
    assert run_cli("backup", "copy.db")[0] == 0
    code, _, err = run_cli("backup", "copy.db")
    assert code == 2
    assert "already exists" in err
    code, _, err = run_cli("restore", "copy.db")
    assert code == 2
    assert "pass --force" in err
    assert run_cli("restore", "copy.db", "--db", "restored.db")[0] == 0
    code, out, _ = run_cli("workspace", "list", "--db", "restored.db")
    assert code == 0
    assert out.startswith("demo")
    (folder / "junk.db").write_bytes(b"not a database at all" * 100)
    code, _, err = run_cli("restore", "junk.db", "--db", "other.db")
    assert code == 2
    assert "not a database" in err
    assert not (folder / "other.db").exists()


def test_a_tampered_log_fails_verify_with_the_first_broken_link(folder: Path, run_cli: Any) -> None:
    import sqlite3

    assert run_cli("load", str(EXAMPLE), "--workspace", "demo")[0] == 0
    with sqlite3.connect(folder / "summitry.db") as conn:
        conn.execute("UPDATE audit SET actor = 'someone else' WHERE readers = 'joint' AND seq = 7")
    code, out, _ = run_cli("audit", "verify", "--workspace", "demo")
    assert code == 2
    assert "broken: chain 'joint': entry 7: digest does not match" in out
