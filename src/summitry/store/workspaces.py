"""Workspaces: create, find and list them; lock one for a write."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from summitry.domain.base import SLUG_PATTERN, clip
from summitry.domain.checks import suggest
from summitry.domain.plan import FORMAT_VERSION
from summitry.errors import InputError
from summitry.store.schema import Workspace, new_id, now


def create_workspace(
    session: Session, slug: str, title: str = "", *, workspace_id: str | None = None
) -> Workspace:
    """A new, empty workspace; refuses a name that is taken or is not a slug.

    Usage: ``create_workspace(session, "vienna", "Vienna talks")``.
    """
    import re

    if not re.fullmatch(SLUG_PATTERN, slug) or len(slug) > 80:
        raise InputError(
            f"workspace name '{clip(slug)}' must be lowercase letters and digits joined by "
            "hyphens, e.g. vienna-2025"
        )
    if session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None:
        raise InputError(f"workspace '{slug}' already exists")
    workspace = Workspace(
        id=workspace_id or new_id(),
        slug=slug,
        title=title or slug,
        format_version=FORMAT_VERSION,
        revision=0,
        created_at=now(),
    )
    session.add(workspace)
    session.flush()
    return workspace


def find_workspace(session: Session, slug: str) -> Workspace:
    """The workspace of that name, or a one-line error listing the names there are.

    Usage: ``find_workspace(session, "demo").id``.
    """
    found = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if found is None:
        names = list_workspaces(session)
        known = ", ".join(w.slug for w in names) or "none yet; see 'summitry workspace create'"
        raise InputError(
            f"no workspace '{clip(slug)}' in this database{suggest(slug, [w.slug for w in names])}"
            f" (workspaces: {known})"
        )
    return found


def list_workspaces(session: Session) -> list[Workspace]:
    """Every workspace, by name.

    Usage: ``[w.slug for w in list_workspaces(session)]``.
    """
    return list(session.scalars(select(Workspace).order_by(Workspace.slug)))


def lock_for_write(session: Session, workspace: Workspace) -> int:
    """Serialise writes to one workspace: lock its row and count the write; the new revision.

    On PostgreSQL the update takes the row lock until commit; on SQLite the transaction is
    already the only writer (BEGIN IMMEDIATE). Checks that span records run after this.
    Usage: ``lock_for_write(session, workspace)``.
    """
    session.execute(
        update(Workspace)
        .where(Workspace.id == workspace.id)
        .values(revision=Workspace.revision + 1)
        .execution_options(synchronize_session=False)
    )
    revision = session.scalar(select(Workspace.revision).where(Workspace.id == workspace.id))
    assert revision is not None
    workspace.revision = revision
    return revision
