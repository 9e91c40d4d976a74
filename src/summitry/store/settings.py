"""The store's settings, read from the environment with the ``SUMMITRY_`` prefix.

Every setting carries its help text; docs/settings.md lists them all (a test checks it).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = Path("summitry.db")
"""The embedded database file, in the working directory, when nothing else is configured."""


class Settings(BaseSettings):
    """What the store reads from the environment (``SUMMITRY_DATABASE_URL`` and so on).

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


def settings() -> Settings:
    """The settings as the environment gives them now.

    Usage: ``settings().database_url``.
    """
    return Settings()
