"""The JSON API, ``/api/v1``: each area adds its router (the caller's account is in accounts.py)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")
