"""The demo workspace: the bundled example with a user for every seat at the table.

Each delegation has an admin, two editors (the first is a person of the plan, with tasks of
their own; the U.S. one is cleared for the back channel) and a viewer; the host has an admin
and an editor; the secretariat has an admin and the mediator. All share one password,
printed when the demo starts: it is a demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from summitry.access.policy import KEEPER
from summitry.store.audit import keyring
from summitry.store.database import Database
from summitry.store.loading import load_plan
from summitry.store.users import add_user

DEMO_WORKSPACE = "demo"
DEMO_PASSWORD = "summit-demo-2024"


@dataclass(frozen=True)
class Seat:
    """A demo user: name, party, role, clearances, and what they are for."""

    username: str
    party: str
    role: str
    clearances: tuple[str, ...] = ()
    note: str = ""
    person: str | None = None
    """The person record of the plan the user is (their "my tasks")."""


SEATS = (
    Seat("ru-admin", "russia", "admin", note="adds Russia's users"),
    Seat("ru-editor", "russia", "editor", note="Russia's delegation", person="marina-kovrova"),
    Seat("ru-editor-2", "russia", "editor", note="confirms Russia's releases"),
    Seat("ru-viewer", "russia", "viewer"),
    Seat("us-admin", "united-states", "admin", note="adds the U.S. users"),
    Seat(
        "us-editor",
        "united-states",
        "editor",
        ("back-channel",),
        "cleared for the back channel",
        person="dana-whitcomb",
    ),
    Seat("us-editor-2", "united-states", "editor", note="confirms U.S. releases"),
    Seat("us-viewer", "united-states", "viewer"),
    Seat("host-admin", "austria", "admin"),
    Seat("host-editor", "austria", "editor", note="the host"),
    Seat("sec-admin", "secretariat", "admin"),
    Seat("mediator", "secretariat", "editor", note="runs the blind mediation"),
)


def build_demo(db: Database, plan: Path) -> tuple[Seat, ...]:
    """Load ``plan`` as the demo workspace and add every demo user; the seats added.

    A seat's person is linked when the plan has that person.

    Usage: ``build_demo(db, example_path("summit.toml"))``.
    """
    from summitry.io.planfile import read_data

    keys = keyring(db.file)
    text = plan.read_text(encoding="utf-8")
    people = read_data(text, str(plan)).get("people", {})
    with db.transaction(KEEPER, write=True) as session:
        load_plan(
            session,
            keys,
            text,
            str(plan.name),
            DEMO_WORKSPACE,
            actor="demo",
        )
        for seat in SEATS:
            add_user(
                session,
                keys,
                seat.username,
                DEMO_PASSWORD,
                workspace=DEMO_WORKSPACE,
                party=seat.party,
                role=seat.role,
                clearances=seat.clearances,
                # A plan without that person (a test's small plan) leaves the user unlinked.
                person=seat.person if seat.person in people else None,
                actor="demo",
            )
    return SEATS
