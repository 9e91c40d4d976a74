"""The web server command: ``summitry serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summitry.cli._app import DbOption, app, example_path


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (they share the database).")
    ] = 1,
    demo: Annotated[
        bool,
        typer.Option(help="A fresh demo workspace from the bundled example, with demo users."),
    ] = False,
    production: Annotated[
        bool,
        typer.Option(help="Production mode: needs SUMMITRY_SECRET_KEY; Secure cookies; HSTS."),
    ] = False,
) -> None:
    """Start the web server on the database (the SQLite file summitry.db here by default).

    With --demo it starts on a new, throwaway database holding the bundled example and a
    user for every seat at the table, and prints how to sign in.

    For example:

        summitry serve --demo

        summitry serve --db team.db --port 8080 --workers 2
    """
    import os
    import secrets
    import tempfile

    import uvicorn

    from summitry.console import out
    from summitry.errors import InputError
    from summitry.store import migrate
    from summitry.store.database import database_url, is_migrated, open_database

    if production:
        os.environ["SUMMITRY_PRODUCTION"] = "1"
        if not os.environ.get("SUMMITRY_SECRET_KEY"):
            raise InputError("--production needs SUMMITRY_SECRET_KEY (a long random string)")
    folder = Path(tempfile.mkdtemp(prefix="summitry-demo-")) if demo else None
    if folder is not None:
        db = folder / "summitry.db"
    url = database_url(db.resolve() if db else None)
    database = open_database(url=url.render_as_string(hide_password=False))
    if folder is not None:
        from summitry.web.demo import DEMO_PASSWORD, DEMO_WORKSPACE, build_demo

        migrate.upgrade(database)
        seats = build_demo(database, example_path("summit.toml"))
        out.print(f"Demo workspace '{DEMO_WORKSPACE}' (a throwaway database in {folder}).")
        out.print(f"Sign in at http://{host}:{port}/ with password {DEMO_PASSWORD} as:")
        for seat in seats:
            extra = f" — {seat.note}" if seat.note else ""
            out.print(f"  {seat.username:12} {seat.party} {seat.role}{extra}", markup=False)
    elif database.file is not None and not database.file.exists():
        raise InputError(
            f"{database.name}: no such database; 'summitry load PLAN --workspace NAME' makes one, "
            "or try 'summitry serve --demo'"
        )
    elif not is_migrated(database):
        raise InputError(
            f"{database.name}: the database has no tables yet; run 'summitry db upgrade'"
        )
    database.dispose()
    os.environ["SUMMITRY_DATABASE_URL"] = url.render_as_string(hide_password=False)
    # Every worker must sign cookies with the same key.
    os.environ.setdefault("SUMMITRY_SECRET_KEY", secrets.token_urlsafe(32))
    uvicorn.run(
        "summitry.web.main:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
