"""Schema migrations of the fixed tables, run by Alembic from inside the package.

No ``alembic.ini`` is needed: the configuration is built here, and ``env.py`` takes the
connection from it. On SQLite, migrations run in batch mode (SQLite cannot alter most of a
table in place).
"""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from summitry.store.database import Database


def _config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("summitry.store").joinpath("migrations")))
    config.attributes["database"] = db
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the tables to ``revision`` (the newest by default).

    Usage: ``upgrade(open_database(Path("summitry.db")))``.
    """
    command.upgrade(_config(db), revision)


def downgrade(db: Database, revision: str) -> None:
    """Take the tables back to ``revision`` (``base``: none at all).

    Usage: ``downgrade(db, "base")``.
    """
    command.downgrade(_config(db), revision)


def current(db: Database) -> str | None:
    """The revision the database is at (None before the first migration).

    Usage: ``current(db) == head()``.
    """
    with db.owner.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head() -> str:
    """The newest revision this summitry knows.

    Usage: ``head()``.
    """
    script = ScriptDirectory(str(files("summitry.store").joinpath("migrations")))
    revision = script.get_current_head()
    assert revision is not None
    return revision
