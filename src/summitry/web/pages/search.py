"""Search: every record the member may see that holds the words asked for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from summitry.services.search import Hit
from summitry.web.deps import MemberDep
from summitry.web.pages.render import page
from summitry.web.search import record_ids, run_search

router = APIRouter(include_in_schema=False)

PER_PAGE = 20

PAGES = {"tasks": "/tasks/{id}", "issues": "/agenda/{slug}"}
"""Collections with a page of their own, and its path under the workspace."""


def _link(base: str, hit: Hit, ids: dict[tuple[str, str], str]) -> str | None:
    pattern = PAGES.get(hit.collection)
    record_id = ids.get((hit.collection, hit.id))
    if pattern is None or record_id is None:
        return None
    return base + pattern.format(id=record_id, slug=hit.id)


@router.get("/w/{workspace}/search")
def search_page(
    request: Request,
    member: MemberDep,
    q: Annotated[str, Query(max_length=500)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=5000)] = 1,
) -> HTMLResponse:
    """The hits of ``q`` in the member's view, best first, twenty to a page."""
    found = run_search(member, q, PER_PAGE, (page_number - 1) * PER_PAGE)
    ids = record_ids(member, found.hits)
    base = f"/w/{member.workspace.slug}"
    hits = [(hit, _link(base, hit, ids)) for hit in found.hits]
    pages = (found.total + PER_PAGE - 1) // PER_PAGE
    return page(
        request,
        "search/results.html",
        member,
        section="search",
        q=q,
        found=found,
        hits=hits,
        page_number=page_number,
        pages=pages,
    )
