"""My account: who I am in this workspace, changing my password, my API tokens.

The page calls the functions the JSON API's ``/me`` routes call (``web.accounts``): a
password change ends every session of the user and starts a new one for this browser; a
new API token is shown once, in the answer to the form that made it, and never again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from summitry.errors import InputError
from summitry.store.users import MAX_PASSWORD, MIN_PASSWORD
from summitry.web.deps import KeysDep, Member, MemberDep, SettingsDep
from summitry.web.pages.render import is_htmx, page, see_other

router = APIRouter(include_in_schema=False)

NAME_LIMIT = 120
"""The longest name of an API token (as the API's ``TokenCreate``)."""


def _account(
    request: Request,
    member: Member,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    new_token: Any = None,
    token_name: str = "",
    changed: bool = False,
    csrf_token: str | None = None,
) -> HTMLResponse:
    from summitry.web.accounts import own_tokens

    tokens = own_tokens(member.caller, member.db)
    context: dict[str, Any] = {
        "errors": errors or {},
        "tokens": tokens,
        "new_token": new_token,
        "token_name": token_name,
        "changed": changed,
        "zone": _zone(member),
        "clearances": sorted(member.principal.clearances),
        "min_password": MIN_PASSWORD,
    }
    if csrf_token:
        context["csrf_token"] = csrf_token
    name = "account/tokens.html" if is_htmx(request) and errors is None else "account/page.html"
    answer = page(request, name, member, status=status, **context)
    if new_token is not None:
        # The token's secret is in this answer only: no cache keeps a copy of it.
        answer.headers["Cache-Control"] = "no-store"
    return answer


def _zone(member: Member) -> str:
    """The summit's time zone, from the member's view (UTC when it cannot be read)."""
    from summitry.errors import SummitryError
    from summitry.services.source import read_view

    try:
        return read_view(member.source, member.principal).summit.timezone
    except SummitryError:
        return "UTC"


@router.get("/w/{workspace}/account")
def account_page(request: Request, member: MemberDep, changed: int = 0) -> HTMLResponse:
    """My party, role and clearances; the password form; my API tokens."""
    return _account(request, member, changed=bool(changed))


@router.post("/w/{workspace}/account/password")
def change_password_form(
    request: Request,
    member: MemberDep,
    config: SettingsDep,
    keys: KeysDep,
    current_password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    new_password: Annotated[str, Form(max_length=MAX_PASSWORD + 1)] = "",
    repeat_password: Annotated[str, Form(max_length=MAX_PASSWORD + 1)] = "",
) -> Response:
    """Change my password (as ``POST /api/v1/me/password``); errors next to their field."""
    from summitry.web.accounts import WRONG_PASSWORD, change_own_password, set_session_cookie

    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = "Give your current password."
    if len(new_password) < MIN_PASSWORD:
        errors["new_password"] = f"A password needs at least {MIN_PASSWORD} characters."
    elif len(new_password) > MAX_PASSWORD:
        errors["new_password"] = f"A password may have at most {MAX_PASSWORD} characters."
    elif repeat_password != new_password:
        errors["repeat_password"] = "The two new passwords differ; type the same one twice."
    if not errors:
        try:
            fresh = change_own_password(
                member.caller, member.db, config, keys, current_password, new_password
            )
        except HTTPException as err:
            if err.status_code != 400 or err.detail != WRONG_PASSWORD:
                raise
            errors["current_password"] = "The current password is wrong."
        except InputError as err:
            errors["new_password"] = f"{str(err)[:1].upper()}{str(err)[1:]}."
        else:
            target = f"/w/{member.workspace.slug}/account?changed=1"
            answer = see_other(target)
            if fresh is not None:
                cookie, _secret = fresh
                set_session_cookie(answer, cookie, config.session_hours, config.production)
            return answer
    return _account(request, member, status=422, errors=errors)


@router.post("/w/{workspace}/account/tokens")
def create_token_form(
    request: Request,
    member: MemberDep,
    name: Annotated[str, Form(max_length=NAME_LIMIT + 1)] = "",
) -> Response:
    """Make an API token (as ``POST /api/v1/me/tokens``); the answer shows it once."""
    from summitry.web.accounts import make_token

    label = name.strip()
    if not label or len(label) > NAME_LIMIT:
        error = f"Name the token (1 to {NAME_LIMIT} characters): what is it for?"
        return _account(request, member, status=422, errors={"name": error}, token_name=name)
    made = make_token(member.caller, member.db, label)
    return _account(request, member, new_token=made)


@router.post("/w/{workspace}/account/tokens/{token_id}/revoke")
def revoke_token_form(request: Request, member: MemberDep, token_id: str) -> Response:
    """Revoke one of my API tokens (as ``DELETE /api/v1/me/tokens/{id}``)."""
    from summitry.web.accounts import revoke_own_token

    revoke_own_token(member.caller, member.db, token_id[:64])
    if is_htmx(request):
        return _account(request, member)
    return see_other(f"/w/{member.workspace.slug}/account#tokens")
