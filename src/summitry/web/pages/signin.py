"""Signing in and out, and the list of the caller's workspaces."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from summitry.web.deps import NOBODY, CallerDep, DbDep, KeysDep, SettingsDep
from summitry.web.pages.render import local_path, page
from summitry.web.security import SESSION_COOKIE, ThrottledError

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return page(request, "login.html", username="", next=local_path(next), message="")


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
    from summitry.web.security import end_session, log_in, start_session

    # Browsers say where a form was posted from; a log-in posted by another site would sign
    # the visitor in to an account of that site's choosing (login CSRF), which no CSRF token
    # can stop before there is a session. Clients that send no such header are not browsers.
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(403, "sign in from summitry's own sign-in page")
    message, status, retry = "", 200, None
    try:
        with db.transaction(NOBODY, write=True) as session:
            user = log_in(session, config, username, password)
            if user is not None:
                # Whatever session this browser held before ends: one log-in, one session.
                end_session(session, keys, request.cookies.get(SESSION_COOKIE))
            cookie = start_session(session, config, keys, user)[0] if user else None
    except ThrottledError as err:
        message, status, cookie, retry = str(err), 429, None, err.seconds
    if cookie is None:
        message = message or "Wrong username or password."
        status = status if status != 200 else 400
        again = page(
            request,
            "login.html",
            status=status,
            username=username,
            next=local_path(next),
            message=message,
        )
        if retry is not None:
            again.headers["Retry-After"] = str(retry)
        return again
    response = RedirectResponse(local_path(next), status_code=303)
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
    return page(
        request, "workspaces.html", user=user, places=places, csrf_token=keys.csrf_token(secret)
    )
