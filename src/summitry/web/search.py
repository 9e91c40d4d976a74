"""Search over the API: ``GET /api/v1/workspaces/{workspace}/search?q=...``.

Hits, their count, their order and their snippets come from the caller's view alone
(``services.search``), so another party's private records change nothing in the answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from summitry.services.search import Hit, SearchResult, search
from summitry.web.deps import Member, MemberDep

router = APIRouter(prefix="/api/v1")

QueryText = Annotated[str, Query(min_length=1, max_length=500)]


def record_ids(member: Member, hits: tuple[Hit, ...]) -> dict[tuple[str, str], str]:
    """The stored record id of each hit (hits name records by their slug in the view).

    Usage: ``ids = record_ids(member, result.hits)``.
    """
    from summitry.store.views import assemble

    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
    found = {(h.collection, h.id): view.id_of(h.collection, h.id) for h in hits}
    return {key: rid for key, rid in found.items() if rid is not None}


def run_search(member: Member, q: str, limit: int, offset: int) -> SearchResult:
    """The member's search: ``search`` on their view of the workspace."""
    return search(member.source, member.principal, q, limit=limit, offset=offset)


@router.get("/workspaces/{workspace}/search")
def search_api(
    member: MemberDep,
    q: QueryText,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """Records the caller may read that hold every word of ``q``, best first (BM25).

    Usage: ``GET /api/v1/workspaces/demo/search?q=venue+security&limit=10``.
    """
    found = run_search(member, q, limit, offset)
    ids = record_ids(member, found.hits)
    return {
        "query": found.query,
        "words": list(found.words),
        "total": found.total,
        "offset": found.offset,
        "hits": [
            {
                "collection": hit.collection,
                "kind": hit.kind,
                "slug": hit.id,
                "id": ids.get((hit.collection, hit.id)),
                "title": hit.title,
                "score": hit.score,
                "snippet": None
                if hit.snippet is None
                else {
                    "field": hit.snippet.field,
                    "before": hit.snippet.before,
                    "match": hit.snippet.match,
                    "after": hit.snippet.after,
                },
            }
            for hit in found.hits
        ],
    }
