"""Helpers the store tests share (fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from summitry.access.policy import KEEPER
from summitry.store.audit import Keyring
from summitry.store.database import Database
from summitry.store.loading import load_plan
from summitry.store.reads import WorkspaceRef

EXAMPLE = Path(__file__).parents[2] / "src" / "summitry" / "examples" / "summit.toml"


def ref_of(db: Database, workspace: str) -> WorkspaceRef:
    """A reference to a workspace of ``db``, as the services take it."""
    if db.file is not None:
        return WorkspaceRef(workspace, db.file)
    return WorkspaceRef(workspace, url=db.url.render_as_string(hide_password=False))


def load_text(db: Database, keys: Keyring, text: str, workspace: str = "demo") -> None:
    """Load plan-file text into a new workspace of ``db``, as the keeper, and commit."""
    with db.transaction(KEEPER, write=True) as session:
        load_plan(session, keys, text, "plan.toml", workspace, actor="operator")


def load_example(db: Database, keys: Keyring, workspace: str = "demo") -> None:
    """Load the bundled example plan into a new workspace of ``db``."""
    load_text(db, keys, EXAMPLE.read_text(encoding="utf-8"), workspace)
