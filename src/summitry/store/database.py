"""Opening the store: engines, transactions, and the principal a transaction reads as.

The command or request boundary opens a transaction with :meth:`Database.transaction`, calls
services (which only flush) and the transaction commits when the block ends without an error.
On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` (one writer at a time, and no
upgrade deadlock), in WAL mode with foreign keys on. On PostgreSQL a party's transaction runs
as the role ``summitry_app`` with the principal set by ``SET LOCAL``, so row-level security
admits only the rows the principal may read, whatever the query says.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from summitry.access.policy import Principal
from summitry.access.sql import encode_compartments
from summitry.errors import InputError
from summitry.settings import DEFAULT_DB, settings

APP_ROLE = "summitry_app"
"""The PostgreSQL role the application reads and writes as (no superuser, no RLS bypass)."""

_BEGIN = "summitry_begin"


@dataclass
class Database:
    """An opened store: the owner's engine and, on PostgreSQL, the application role's.

    Usage: ``with open_database(Path("summitry.db")).transaction(KEEPER) as session: ...``.
    """

    url: URL
    owner: Engine
    app: Engine

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite store."""
        return self.url.get_backend_name() == "sqlite"

    @property
    def file(self) -> Path | None:
        """The SQLite database file (None for PostgreSQL or an in-memory database)."""
        name = self.url.database
        return Path(name) if self.is_sqlite and name and name != ":memory:" else None

    @property
    def name(self) -> str:
        """The database as people name it: the file, or the URL without its password."""
        return str(self.file) if self.file else self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self, principal: Principal, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction, read as ``principal``; commits at the end, else rolls back.

        The keeper (``all``) uses the owner's connection; a party, ``joint`` or nobody use the
        application role, with the principal set for row-level security.
        Usage: ``with db.transaction(Principal.of("russia")) as session: ...``.
        """
        engine = self.owner if principal.is_keeper else self.app
        if self.is_sqlite:
            engine = engine.execution_options(**{_BEGIN: "BEGIN IMMEDIATE" if write else "BEGIN"})
        with Session(engine, expire_on_commit=False) as session:
            try:
                if not self.is_sqlite and not principal.is_keeper:
                    session.execute(
                        text(
                            "SELECT set_config('summitry.reader', :reader, true), "
                            "set_config('summitry.clearances', :clearances, true)"
                        ),
                        {
                            "reader": principal.reader or "",
                            "clearances": encode_compartments(principal.clearances).strip(","),
                        },
                    )
                yield session
                session.commit()
            except OperationalError as err:
                session.rollback()
                raise InputError(f"{self.name}: the database refused ({_reason(err)})") from None
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection.

        Usage: ``db.dispose()`` before the file is copied or removed.
        """
        self.owner.dispose()
        if self.app is not self.owner:
            self.app.dispose()


def database_url(db: Path | None = None, url: str | None = None) -> URL:
    """Which database to open: ``url``, else ``--db``, else SUMMITRY_DATABASE_URL, else the file.

    Usage: ``database_url(Path("team.db"))``.
    """
    chosen = url or (None if db is not None else settings().database_url)
    if chosen:
        parsed = make_url(chosen)
        if parsed.get_backend_name() == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed
    return URL.create("sqlite", database=str(db or DEFAULT_DB))


def open_database(db: Path | None = None, url: str | None = None) -> Database:
    """Open the store (without creating tables: ``summitry db upgrade`` does that).

    Usage: ``db = open_database(Path("summitry.db"))``.
    """
    target = database_url(db, url)
    if target.get_backend_name() == "sqlite":
        engine = create_engine(target, connect_args={"timeout": 30})
        _sqlite_pragmas(engine)
        return Database(target, engine, engine)
    owner = create_engine(target, pool_pre_ping=True)
    configured = settings().app_database_url
    app_url = make_url(configured) if configured else target.set(username=APP_ROLE, password=None)
    if app_url.get_backend_name() == "postgresql" and app_url.drivername == "postgresql":
        app_url = app_url.set(drivername="postgresql+psycopg")
    return Database(target, owner, create_engine(app_url, pool_pre_ping=True))


def is_migrated(db: Database) -> bool:
    """Whether the store's tables exist (``summitry db upgrade`` has run).

    Usage: ``if not is_migrated(db): ...``.
    """
    from sqlalchemy import inspect

    from summitry.store.schema import Workspace

    try:
        with db.owner.connect() as conn:
            return inspect(conn).has_table(Workspace.__tablename__)
    except DBAPIError as err:
        raise InputError(f"{db.name}: cannot open the database ({_reason(err)})") from None


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, foreign keys and our own BEGIN (the driver's implicit one cannot say IMMEDIATE)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))


def _reason(err: DBAPIError) -> str:
    message = str(err.orig) if err.orig is not None else str(err)
    return message.splitlines()[0][:200] if message else type(err).__name__
