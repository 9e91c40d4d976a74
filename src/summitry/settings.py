"""summitry's settings, read from the environment with the ``SUMMITRY_`` prefix.

Every setting carries its help text; docs/settings.md lists them all (a test checks it).
None is needed on a laptop: the embedded SQLite file and a key file beside it are the defaults.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = Path("summitry.db")
"""The embedded database file, in the working directory, when nothing else is configured."""


class Settings(BaseSettings):
    """What summitry reads from the environment (``SUMMITRY_DATABASE_URL`` and so on).

    Usage: ``Settings().database_url``.
    """

    model_config = SettingsConfigDict(env_prefix="SUMMITRY_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database, e.g. "
        "postgresql://owner@db.example/summitry. Default: the SQLite file summitry.db in the "
        "working directory (or the file given with --db).",
    )
    app_database_url: str | None = Field(
        default=None,
        description="PostgreSQL only: the URL the application reads and writes through, as the "
        "role summitry_app (row-level security applies to it). Default: the database URL with "
        "the user replaced by summitry_app.",
    )
    audit_key: str | None = Field(
        default=None,
        description="The secret that keys the audit log's hash chains. Kept outside the "
        "database. Required for PostgreSQL; with SQLite and no key, a key file is created "
        "beside the database file (readable by its owner only).",
    )
    audit_key_id: str = Field(
        default="k1",
        description="The name of the current audit key; each audit entry records it, so keys "
        "can be rotated.",
    )
    audit_old_keys: str = Field(
        default="",
        description="Earlier audit keys still needed to verify old entries, as "
        "'id=secret,id=secret'.",
    )
    secret_key: str | None = Field(
        default=None,
        description="The web server's secret: signs session cookies and CSRF tokens. Required in "
        "production mode; otherwise a random one is made at start (sessions then end when the "
        "server restarts).",
    )
    production: bool = Field(
        default=False,
        description="Production mode for the web server: refuse to start without "
        "SUMMITRY_SECRET_KEY, send Secure cookies and strict security headers, and do not serve "
        "the OpenAPI schema.",
    )
    session_hours: float = Field(
        default=8.0,
        gt=0,
        le=24 * 30,
        description="How long a web session lasts after log-in, in hours.",
    )
    max_body_bytes: int = Field(
        default=2_000_000,
        gt=0,
        description="The largest request body the web server accepts (uploads included); a "
        "larger one gets 413.",
    )
    login_attempts: int = Field(
        default=5,
        gt=0,
        description="Failed log-ins of one account before it is throttled.",
    )
    login_pause_seconds: int = Field(
        default=60,
        gt=0,
        description="How long a throttled account must wait before the next attempt; doubled "
        "for each further failure.",
    )


def settings() -> Settings:
    """The settings as the environment gives them now.

    Usage: ``settings().database_url``.
    """
    return Settings()
