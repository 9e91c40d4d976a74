"""The leak matrix over the pages: every demo user × the task pages × a task of each label class.

Five tasks are made through the API, one of each label class: joint, private to Russia,
private to the United States, released by Russia to the secretariat (the mediator's party),
and private to the United States in the back-channel compartment. Each demo user then opens
each task's page and its edit form, the task list, the timeline and a search for the word all
five share. A user who may read a task gets its page (the edit form: 200 for an editor who may
change it, 403 otherwise, never 404) and finds it in the list, the timeline and the search; a
user who may not gets a 404 worded as for a missing id, and finds it nowhere.

Who may read what comes from the table ``READERS`` below, which restates the rules of issue 13
without calling the policy.
"""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from webkit import sign_in, token_for

from summitry.web.demo import SEATS

MARK = "zqleakmark"
"""A word no record of the demo holds: every task of the matrix has it in its name."""

RU, US, SEC = "russia", "united-states", "secretariat"
LABELS = {
    "joint": ("ru-editor", {"visibility": "joint"}),
    "russia": ("ru-editor", {"visibility": RU}),
    "united-states": ("us-editor", {"visibility": US}),
    "released": ("ru-editor", {"visibility": [RU, SEC]}),
    "compartmented": ("us-editor", {"visibility": US, "compartments": ["back-channel"]}),
}
"""Each label class: who makes the task, and the label it is made with."""

PARTY = {seat.username: seat.party for seat in SEATS}
READERS = {
    "joint": set(PARTY),
    "russia": {u for u, p in PARTY.items() if p == RU},
    "united-states": {u for u, p in PARTY.items() if p == US},
    "released": {u for u, p in PARTY.items() if p in (RU, SEC)},
    "compartmented": {"us-editor"},
}
"""Who may read the task of each label class (us-editor alone is cleared for the back channel)."""


def _make_tasks(client: TestClient) -> dict[str, str]:
    """The five tasks, made through the API by an editor of the owning party: class → id."""
    tokens = {maker: token_for(client, maker) for maker, _ in LABELS.values()}
    made = {}
    for name, (maker, label) in LABELS.items():
        body = {"name": f"{MARK} {name} task", "workstream": "agenda", "estimate": [1, 2, 3]}
        answer = client.post(
            "/api/v1/workspaces/demo/records/tasks",
            json={"slug": f"leak-{name}", "body": {**body, **label}},
            headers={"Authorization": f"Bearer {tokens[maker]}"},
        )
        assert answer.status_code == 201, answer.text
        made[name] = answer.json()["id"]
    return made


def test_each_user_sees_exactly_the_tasks_their_party_and_clearances_allow(
    client: TestClient,
) -> None:
    made = _make_tasks(client)
    missing = str(uuid.uuid4())
    for user in PARTY:
        client.cookies.clear()
        sign_in(client, user)
        absent = client.get(f"/w/demo/tasks/{missing}")
        assert absent.status_code == 404
        lists = {
            "list": client.get("/w/demo/tasks").text,
            "timeline": client.get("/w/demo/timeline").text,
            "search": client.get("/w/demo/search", params={"q": MARK}).text,
        }
        for name, record_id in made.items():
            cell = (user, name)
            readable = user in READERS[name]
            page = client.get(f"/w/demo/tasks/{record_id}")
            edit = client.get(f"/w/demo/tasks/{record_id}/edit")
            marker = f"{MARK} {name} task"
            if readable:
                assert page.status_code == 200, cell
                assert marker in page.text, cell
                assert edit.status_code in (200, 403), cell
                for where, text in lists.items():
                    assert marker in text, (*cell, where)
            else:
                assert page.status_code == edit.status_code == 404, cell
                assert page.text.replace(record_id, missing) == absent.text, cell
                assert marker not in page.text + edit.text, cell
                for where, text in lists.items():
                    assert marker not in text, (*cell, where)
