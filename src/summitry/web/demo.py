"""The demo workspace: the bundled example with a user for every seat at the table.

Each delegation has an admin, two editors (the first cleared for the back channel) and a
viewer; the host has an admin and an editor; the secretariat has an admin and the mediator.
All share one password, printed when the demo starts: it is a demo.
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


SEATS = (
    Seat("ru-admin", "russia", "admin", note="adds Russia's users"),
    Seat("ru-editor", "russia", "editor", note="Russia's delegation"),
    Seat("ru-editor-2", "russia", "editor", note="confirms Russia's releases"),
    Seat("ru-viewer", "russia", "viewer"),
    Seat("us-admin", "united-states", "admin", note="adds the U.S. users"),
    Seat("us-editor", "united-states", "editor", ("back-channel",), "cleared for the back channel"),
    Seat("us-editor-2", "united-states", "editor", note="confirms U.S. releases"),
    Seat("us-viewer", "united-states", "viewer"),
    Seat("host-admin", "austria", "admin"),
    Seat("host-editor", "austria", "editor", note="the host"),
    Seat("sec-admin", "secretariat", "admin"),
    Seat("mediator", "secretariat", "editor", note="runs the blind mediation"),
)


def build_demo(db: Database, plan: Path) -> tuple[Seat, ...]:
    """Load ``plan`` as the demo workspace and add every demo user; the seats added.

    Usage: ``build_demo(db, example_path("summit.toml"))``.
    """
    keys = keyring(db.file)
    with db.transaction(KEEPER, write=True) as session:
        load_plan(
            session,
            keys,
            plan.read_text(encoding="utf-8"),
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
                actor="demo",
            )
    return SEATS
