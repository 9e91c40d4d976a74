"""The server-rendered pages, one module per area of the workspace.

Every page works without JavaScript: forms post and redirect. Pages call the same services
as the API and the command line, compute nothing themselves, and show only what the
signed-in member may see. ``render`` holds what they share.
"""

from __future__ import annotations

from fastapi import APIRouter

from summitry.web.pages import (
    account,
    agenda,
    dashboard,
    mediation,
    plan,
    readiness,
    reports,
    search,
    signin,
    tasks,
)

AREAS: tuple[APIRouter, ...] = tuple(
    area.router
    for area in (
        signin,
        dashboard,
        tasks,
        readiness,
        agenda,
        mediation,
        reports,
        plan,
        search,
        account,
    )
)
"""Every area's routes, in the order the app mounts them."""
