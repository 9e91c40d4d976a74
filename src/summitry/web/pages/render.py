"""What every page shares: the templates, the page frame, and the answers pages give.

A page handler gathers what the services return and hands it to ``page``; it computes
nothing itself. Every form posts and redirects (``see_other``), so each page works without
JavaScript; htmx, when the browser runs it, asks for the same routes with ``HX-Request``
and gets back only the fragment to swap (``is_htmx``).
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from summitry.web.deps import Member

templates = Jinja2Templates(directory=Path(str(files("summitry.web").joinpath("templates"))))

HTMX = "/static/vendor/htmx-2.0.11.min.js"
"""The vendored htmx (the npm package ``htmx.org``, 2.0.11, kept with its licence)."""

NAV = (
    ("dashboard", "Dashboard", ""),
    ("tasks", "Tasks", "/tasks"),
    ("readiness", "Readiness", "/readiness"),
    ("agenda", "Agenda", "/agenda"),
    ("mediation", "Mediation", "/mediation"),
    ("reports", "Reports", "/reports"),
    ("plan", "Plan file", "/plan"),
    ("search", "Search", "/search"),
)
"""The workspace's sections: (key, title, path under ``/w/{workspace}``)."""


def local_time(moment: dt.datetime | None, zone: str = "UTC") -> str:
    """A stored moment as the summit's clock shows it: ``2026-05-04 14:05 CEST``.

    Usage: ``local_time(row.updated_at, plan.summit.timezone)``; stored moments are UTC.
    """
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


templates.env.filters["local_time"] = local_time


def csrf_token(request: Request, member: Member | None = None) -> str:
    """The CSRF token the page's forms carry (empty when the request has no session)."""
    keys = request.app.state.keys
    secret = member.caller.session_secret if member is not None else None
    return keys.csrf_token(secret) if secret else ""


def page(
    request: Request,
    name: str,
    member: Member | None = None,
    *,
    status: int = 200,
    section: str = "",
    **context: Any,
) -> HTMLResponse:
    """The template ``name`` in the page frame, for the member (or a visitor).

    ``section`` lights up the navigation entry (a key of ``NAV``). The frame shows who is
    signed in, the workspace's sections and the sign-out button.
    Usage: ``return page(request, "tasks/list.html", member, section="tasks", rows=rows)``.
    """
    frame: dict[str, Any] = {
        "member": member,
        "user": member.caller.user if member is not None else context.pop("user", None),
        "csrf_token": context.pop("csrf_token", None) or csrf_token(request, member),
        "nav": NAV if member is not None else (),
        "section": section,
        "base": f"/w/{member.workspace.slug}" if member is not None else "",
        "htmx": HTMX,
    }
    return templates.TemplateResponse(request, name, {**frame, **context}, status_code=status)


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request (and so wants a fragment, not a whole page)."""
    return request.headers.get("hx-request") == "true"


def see_other(target: str) -> RedirectResponse:
    """The answer to a form that worked: go (GET) to ``target``, a path of this server."""
    return RedirectResponse(target, status_code=303)


def local_path(target: str) -> str:
    """Only a path of this server may follow a form (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
