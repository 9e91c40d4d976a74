"""Backing up and restoring the embedded store (SQLite's online backup API).

A backup is taken while the store is in use: SQLite copies a consistent snapshot page by page.
A restore checks the file is a sound summitry database before it replaces anything, and
never overwrites a database unless told to. PostgreSQL stores are backed up with ``pg_dump``
(docs/workspace.md says how).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from summitry.errors import InputError
from summitry.store.database import Database


def backup(db: Database, target: Path, *, force: bool = False) -> Path:
    """Copy the SQLite store to ``target`` while it may be in use.

    Usage: ``backup(open_database(Path("summitry.db")), Path("summitry-2026-12-02.db"))``.
    """
    source = _sqlite_file(db, "backup")
    if target.exists() and not force:
        raise InputError(f"{target}: already exists; pass --force to overwrite it")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
    partial.replace(target)
    return target


def restore(db: Database, backup_file: Path, *, force: bool = False) -> Path:
    """Replace the SQLite store with a backup, after checking the backup is sound.

    Usage: ``restore(open_database(Path("summitry.db")), Path("summitry-2026-12-02.db"))``.
    """
    target = _sqlite_file(db, "restore")
    if not backup_file.is_file():
        raise InputError(f"{backup_file}: no such backup file")
    _check_backup(backup_file)
    if target.exists() and not force:
        raise InputError(
            f"{target}: a database is already there; pass --force to replace it with the backup"
        )
    db.dispose()
    with sqlite3.connect(backup_file) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _sqlite_file(db: Database, what: str) -> Path:
    if db.file is None:
        raise InputError(
            f"{db.name}: {what} here covers the SQLite store only; for PostgreSQL use pg_dump "
            "and pg_restore (see docs/workspace.md)"
        )
    return db.file


def _check_backup(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as err:
        raise InputError(f"{path}: not a database ({err})") from None
    if verdict != "ok":
        raise InputError(f"{path}: the backup is damaged ({verdict})")
    if not {"workspaces", "records", "audit"} <= tables:
        raise InputError(f"{path}: not a summitry database")
