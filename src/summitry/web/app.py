"""The application factory: the store, the settings, the middleware, the routes.

Usage: ``uvicorn.run(create_app(open_database(Path("summitry.db"))))``; ``summitry serve``
does this. Production mode refuses to start without a secret key, marks cookies ``Secure``
and does not serve the OpenAPI schema (docs/api.md documents the API instead).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from summitry import __version__
from summitry.settings import Settings, settings
from summitry.store.database import Database
from summitry.web import errors
from summitry.web.middleware import BodyLimit, SecurityHeaders
from summitry.web.security import server_keys

STATIC = Path(str(files("summitry.web").joinpath("static")))


def create_app(db: Database, config: Settings | None = None) -> FastAPI:
    """The web application on an opened (and migrated) store.

    Usage: ``app = create_app(open_database(Path("summitry.db")))``.
    """
    from summitry.web import accounts, analyses, api, jobs, pages, records, search

    config = config or settings()
    keys = server_keys(config)
    public_schema = not config.production
    app = FastAPI(
        title="summitry",
        version=__version__,
        openapi_url="/api/v1/openapi.json" if public_schema else None,
        # FastAPI's schema browser loads its script from a CDN and runs inline script, which
        # our CSP refuses; docs/api.md is the reference, the schema is for tools.
        docs_url=None,
        redoc_url=None,
        lifespan=jobs.lifespan,
    )
    app.state.db = db
    app.state.settings = config
    app.state.keys = keys
    errors.install(app)
    for area in (api, accounts, records, analyses, search):
        app.include_router(area.router)
    for routes in pages.AREAS:
        app.include_router(routes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The last added is the outermost: the security headers go on every answer, the body
    # limit's 413 included.
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    app.add_middleware(SecurityHeaders, production=config.production)
    return app
