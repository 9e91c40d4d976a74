"""The server-rendered pages: sign in and out, the workspaces, the dashboard.

Every page works without JavaScript: forms post and redirect. Pages call the same services
as the API and the command line, and show only what the signed-in member may see.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from summitry.errors import SummitryError
from summitry.web.deps import NOBODY, CallerDep, DbDep, KeysDep, MemberDep, SettingsDep
from summitry.web.security import SESSION_COOKIE, ThrottledError

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(str(files("summitry.web").joinpath("templates"))))


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return _page(request, "login.html", username="", next=_local(next), message="")


@router.post("/login")
def login(
    request: Request,
    db: DbDep,
    config: SettingsDep,
    keys: KeysDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=2000)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Sign in: a new session (a new id) and its cookie; the form again with a reason if not."""
    from summitry.web.security import log_in, start_session

    message, status = "", 200
    try:
        with db.transaction(NOBODY, write=True) as session:
            user = log_in(session, config, username, password)
            cookie = start_session(session, config, keys, user)[0] if user else None
    except ThrottledError as err:
        message, status, cookie = str(err), 429, None
    if cookie is None:
        message = message or "Wrong username or password."
        status = status if status != 200 else 400
        return _page(
            request, "login.html", status, username=username, next=_local(next), message=message
        )
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int(config.session_hours * 3600),
        httponly=True,
        secure=config.production,
        samesite="lax",
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, caller: CallerDep, db: DbDep, keys: KeysDep) -> Response:
    """Sign out: the session ends on the server; the cookie is cleared."""
    from summitry.web.security import end_session

    with db.transaction(NOBODY, write=True) as session:
        end_session(session, keys, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request, db: DbDep, keys: KeysDep) -> Response:
    """The caller's workspaces (or the sign-in page)."""
    from sqlalchemy import select

    from summitry.store.schema import Membership, Workspace
    from summitry.web.security import session_user

    with db.transaction(NOBODY) as session:
        found = session_user(session, keys, request.cookies.get(SESSION_COOKIE))
        if found is None:
            return RedirectResponse("/login", status_code=303)
        user, secret = found
        rows = session.execute(
            select(Workspace.slug, Workspace.title, Membership.party, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == user.id)
            .order_by(Workspace.slug)
        ).all()
    places = [{"slug": s, "title": t, "party": p, "role": r} for s, t, p, r in rows]
    return _page(
        request, "workspaces.html", user=user, places=places, csrf_token=keys.csrf_token(secret)
    )


@router.get("/w/{workspace}")
def dashboard_page(request: Request, member: MemberDep, keys: KeysDep) -> HTMLResponse:
    """The summit at a glance: the briefing's three tables, live, and what needs attention."""
    from summitry.services.plans import status

    try:
        found = status(_source(member), member.principal)
    except SummitryError as err:
        return _page(
            request, "workspaces.html", 400, user=member.caller.user, places=[], error=str(err)
        )
    secret = member.caller.session_secret or ""
    return _page(
        request,
        "dashboard.html",
        user=member.caller.user,
        member=member,
        board=found.board,
        notes=found.notes,
        label=found.label.describe(),
        csrf_token=keys.csrf_token(secret),
    )


def _source(member: Any) -> Any:
    """The member's workspace as the services take it."""
    from summitry.store.reads import WorkspaceRef

    db = member.db
    if db.file is not None:
        return WorkspaceRef(member.workspace.slug, db.file, actor=member.actor)
    return WorkspaceRef(
        member.workspace.slug, url=db.url.render_as_string(hide_password=False), actor=member.actor
    )


def _local(target: str) -> str:
    """Only a path of this server may follow a sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
