"""The JSON API, ``/api/v1``: the caller's account here; each area adds its router."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from summitry.web.deps import NOBODY, CallerDep, DbDep

router = APIRouter(prefix="/api/v1")


class MeRead(BaseModel):
    """The signed-in user."""

    id: str
    username: str


class TokenCreate(BaseModel):
    """A new API token's name (what it is for)."""

    name: str = Field(min_length=1, max_length=120)


class TokenRead(BaseModel):
    """A new API token: shown once, stored only hashed."""

    id: str
    name: str
    token: str


@router.get("/me")
def me(caller: CallerDep) -> MeRead:
    """Who is signed in."""
    return MeRead(id=caller.user.id, username=caller.user.username)


@router.post("/me/tokens", status_code=201)
def create_token(caller: CallerDep, db: DbDep, body: Annotated[TokenCreate, Body()]) -> TokenRead:
    """A new API token for scripts; the token is in this answer only."""
    from summitry.web.security import new_token

    with db.transaction(NOBODY, write=True) as session:
        row, token = new_token(session, caller.user, body.name)
    return TokenRead(id=row.id, name=row.name, token=token)


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke(caller: CallerDep, db: DbDep, token_id: str) -> None:
    """Revoke one of the caller's API tokens."""
    from fastapi import HTTPException

    from summitry.web.security import revoke_token

    with db.transaction(NOBODY, write=True) as session:
        if not revoke_token(session, caller.user, token_id):
            raise HTTPException(404, "no such token")
