"""The existence oracle: a record (or widening) one may not read answers as a missing one.

For every route that takes an id, the answer to an id the caller may not read and to a random
UUID that names nothing are compared: the status, the body after the id itself is replaced by
``<id>``, and every header except ``date`` (the clock may tick between the two). Nothing else
is normalised: both ids are UUIDs of the same length, so even ``content-length`` must agree.
The forbidden ids cover another delegation's private record, a record released to parties
other than the caller's, a compartment the caller is not cleared for (same party), a viewer
(whose writes are refused before any look-up), and a readable record under another collection.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from test_records_api import Api, Demo, api_on, demo_master

__all__ = ["demo_master"]  # the fixture, imported for this module

FORBIDDEN = [
    ("us-editor", "venue_preferences/russia-venue-weights"),
    ("us-viewer", "venue_preferences/russia-venue-weights"),
    ("host-editor", "positions/russia-position"),
    ("mediator", "positions/russia-view-of-united-states"),
    ("us-editor-2", "notes/back-channel-signal"),
]
"""(caller, record the caller may not read)."""

BODIES: dict[str, dict[str, Any]] = {
    "get": {},
    "history": {},
    "update": {"body": {"title": "A note"}, "revision": 1},
    "delete": {},
    "restore": {"revision": 1, "current_revision": 1},
    "widen": {"visibility": "joint", "revision": 1},
    "withdraw": {"revision": 1},
}


def _call(api: Api, route: str, user: str, path: str) -> Any:
    body = BODIES[route]
    if route == "get":
        return api.get(user, path)
    if route == "history":
        return api.get(user, path + "/history")
    if route == "update":
        return api.put(user, path, json=body)
    if route == "delete":
        return api.delete(user, path, params={"revision": 1})
    return api.post(user, f"{path}/{route}", json=body)


def _seen(answer: Any, rid: str) -> tuple[int, str, dict[str, str]]:
    headers = {k: v for k, v in answer.headers.items() if k.lower() != "date"}
    return answer.status_code, answer.text.replace(rid, "<id>"), headers


@dataclass
class Oracle:
    """The module's demo, its client, and two pending widenings hidden from some callers."""

    api: Api
    widenings: dict[str, str]


@pytest.fixture(scope="module")
def oracle(demo_master: Demo) -> Iterator[Oracle]:
    with api_on(demo_master) as api:
        widenings = {}
        for user, name, wider in (
            ("ru-editor", "positions/russia-view-of-united-states", {"visibility": "joint"}),
            ("us-editor", "notes/back-channel-signal", {"visibility": "united-states"}),
        ):
            asked = api.post(user, api.record(name) + "/widen", json={**wider, "revision": 1})
            assert asked.status_code == 201, asked.text
            widenings[name] = asked.json()["id"]
        yield Oracle(api, widenings)


@pytest.mark.parametrize(("user", "name"), FORBIDDEN)
@pytest.mark.parametrize("route", BODIES)
def test_a_forbidden_record_answers_as_a_missing_one(
    oracle: Oracle, route: str, user: str, name: str
) -> None:
    api = oracle.api
    collection = name.split("/")[0]
    hidden = api.demo.ids[name]
    missing = str(uuid.uuid4())
    forbidden = _seen(_call(api, route, user, f"/records/{collection}/{hidden}"), hidden)
    nothing = _seen(_call(api, route, user, f"/records/{collection}/{missing}"), missing)
    assert forbidden == nothing
    assert forbidden[0] in (403, 404)
    assert api.revision(name) == 1


@pytest.mark.parametrize("route", BODIES)
def test_a_record_under_another_collection_answers_as_a_missing_one(
    oracle: Oracle, route: str
) -> None:
    api = oracle.api
    task = api.demo.ids["tasks/agenda-scoping-note"]
    missing = str(uuid.uuid4())
    wrong = _seen(_call(api, route, "ru-editor", f"/records/notes/{task}"), task)
    nothing = _seen(_call(api, route, "ru-editor", f"/records/notes/{missing}"), missing)
    assert wrong == nothing
    assert wrong[0] == 404


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("us-editor", "positions/russia-view-of-united-states"),
        ("mediator", "positions/russia-view-of-united-states"),
        ("us-viewer", "positions/russia-view-of-united-states"),
        ("us-editor-2", "notes/back-channel-signal"),
        ("ru-editor", "notes/back-channel-signal"),
    ],
)
def test_a_forbidden_widening_answers_as_a_missing_one(
    oracle: Oracle, user: str, name: str
) -> None:
    api = oracle.api
    hidden = oracle.widenings[name]
    missing = str(uuid.uuid4())
    forbidden = _seen(api.post(user, f"/widenings/{hidden}/confirm"), hidden)
    nothing = _seen(api.post(user, f"/widenings/{missing}/confirm"), missing)
    assert forbidden == nothing
    assert forbidden[0] in (403, 404)
    assert hidden not in api.get(user, "/widenings").text
