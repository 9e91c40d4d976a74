"""The application as server processes start it: from the environment alone.

``summitry serve`` puts the database and the secret key in the environment, so every worker
process (``--workers N``) opens the same store and signs cookies with the same key.
"""

from __future__ import annotations

from fastapi import FastAPI

from summitry.settings import settings
from summitry.store.database import open_database
from summitry.web.app import create_app


def app_from_environment() -> FastAPI:
    """The web application on SUMMITRY_DATABASE_URL (uvicorn calls this in each worker).

    Usage: ``uvicorn summitry.web.main:app_from_environment --factory``.
    """
    config = settings()
    return create_app(open_database(url=config.database_url), config)
