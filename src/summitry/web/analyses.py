"""Routes of the JSON API (`/api/v1`): see docs/api.md."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")
