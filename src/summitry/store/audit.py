"""The audit log: append-only, one keyed hash chain per label class in each workspace.

Every change writes an entry in the same transaction as the change, as does every read of
compartmented material and every release. An entry says who did what to which object, when,
and how it went — an object reference, never content — and carries the label of what it is
about. Entries of one label class (``joint``; one party's private material; each compartment)
form one chain: each entry's digest is an HMAC over the entry and the previous digest, under a
key from the environment (never stored in the database) named by ``key_id`` so keys can rotate.
A reader sees only the chains they may read, and a report prints the heads of those chains.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summitry.access.labels import Label
from summitry.access.policy import Principal
from summitry.access.sql import decode_label, encode_compartments, encode_readers, readable
from summitry.domain.base import JOINT
from summitry.errors import InputError
from summitry.settings import settings
from summitry.store.schema import AuditEntry, Workspace, new_id, now

GENESIS = "0" * 64
"""The "previous digest" of a chain's first entry."""


@dataclass(frozen=True)
class Keyring:
    """The audit keys: the current one (new entries) and earlier ones (to verify old entries)."""

    current_id: str
    keys: dict[str, bytes]

    def key(self, key_id: str) -> bytes:
        """The secret of ``key_id``, or a one-line error when it is not configured."""
        if key_id not in self.keys:
            raise InputError(
                f"audit key '{key_id}' is not configured; give it in SUMMITRY_AUDIT_OLD_KEYS"
            )
        return self.keys[key_id]


def keyring(database_file: Path | None) -> Keyring:
    """The keys from the environment; with SQLite and none set, a key file beside the database.

    Usage: ``keyring(Path("summitry.db"))``.
    """
    config = settings()
    keys: dict[str, bytes] = {}
    for pair in filter(None, (p.strip() for p in config.audit_old_keys.split(","))):
        key_id, _, secret = pair.partition("=")
        keys[key_id.strip()] = secret.encode()
    if config.audit_key:
        keys[config.audit_key_id] = config.audit_key.encode()
    elif database_file is not None:
        keys[config.audit_key_id] = _key_file(database_file)
    else:
        raise InputError("SUMMITRY_AUDIT_KEY is not set: the audit log needs a key from outside")
    return Keyring(config.audit_key_id, keys)


def _key_file(database_file: Path) -> bytes:
    """The embedded store's key, kept in ``<db>.audit-key`` (made once, owner-only)."""
    path = database_file.with_name(database_file.name + ".audit-key")
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _digest(key: bytes, previous: str, entry: AuditEntry) -> str:
    fields = [
        entry.workspace_id,
        entry.readers,
        entry.compartments,
        entry.seq,
        _utc_text(entry.at),
        entry.actor,
        entry.action,
        entry.object_ref,
        entry.outcome,
        entry.key_id,
    ]
    message = (previous + json.dumps(fields, separators=(",", ":"))).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _utc_text(at: dt.datetime) -> str:
    """A time as the digest spells it: UTC, to the microsecond (SQLite drops the zone)."""
    naive = at if at.tzinfo is None else at.astimezone(dt.UTC).replace(tzinfo=None)
    return naive.isoformat(timespec="microseconds")


def append(
    session: Session,
    keys: Keyring,
    workspace_id: str,
    label: Label,
    *,
    actor: str,
    action: str,
    object_ref: str,
    outcome: str = "ok",
) -> AuditEntry:
    """Add an entry to the chain of ``label``'s class, in the caller's transaction.

    Writes to a workspace are serialised, so the chain's head cannot move under us.
    Usage: ``append(session, keys, ws.id, label, actor="alice", action="update",
    object_ref="tasks/3f2c…")``.
    """
    readers, compartments = encode_readers(label), encode_compartments(label.compartments)
    if session.get_bind().dialect.name == "postgresql":
        # Appends (reads of compartmented material too) queue on the workspace's row.
        session.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.digest)
        .where(
            AuditEntry.workspace_id == workspace_id,
            AuditEntry.readers == readers,
            AuditEntry.compartments == compartments,
        )
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    seq, previous = (head[0] + 1, head[1]) if head else (1, GENESIS)
    entry = AuditEntry(
        id=new_id(),
        workspace_id=workspace_id,
        readers=readers,
        compartments=compartments,
        seq=seq,
        at=now(),
        actor=actor[:120],
        action=action,
        object_ref=object_ref,
        outcome=outcome,
        key_id=keys.current_id,
    )
    entry.digest = _digest(keys.key(keys.current_id), previous, entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainHead:
    """The last entry of one chain: its label, how many entries it has, and its digest."""

    label: Label
    seq: int
    digest: str

    def describe(self) -> str:
        """``joint: 42 entries, head 3f2c9a1b7d04e5f6``."""
        entries = "1 entry" if self.seq == 1 else f"{self.seq} entries"
        return f"{self.label.describe()}: {entries}, head {self.digest[:16]}"


def heads(session: Session, workspace_id: str, principal: Principal) -> list[ChainHead]:
    """The heads of the chains ``principal`` may read, in a fixed order.

    Usage: ``[h.describe() for h in heads(session, ws.id, Principal.of("russia"))]``.
    """
    last = (
        select(AuditEntry.readers, AuditEntry.compartments, func.max(AuditEntry.seq).label("top"))
        .where(
            AuditEntry.workspace_id == workspace_id,
            readable(principal, AuditEntry.readers, AuditEntry.compartments),
        )
        .group_by(AuditEntry.readers, AuditEntry.compartments)
        .subquery()
    )
    rows = session.execute(
        select(AuditEntry.readers, AuditEntry.compartments, AuditEntry.seq, AuditEntry.digest)
        .join(
            last,
            (AuditEntry.readers == last.c.readers)
            & (AuditEntry.compartments == last.c.compartments)
            & (AuditEntry.seq == last.c.top),
        )
        .where(AuditEntry.workspace_id == workspace_id)
        .order_by(AuditEntry.readers, AuditEntry.compartments)
    )
    return [ChainHead(decode_label(r, c), seq, digest) for r, c, seq, digest in rows]


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain: which chain, at which entry, and what is wrong."""

    label: Label
    seq: int
    reason: str

    def __str__(self) -> str:
        """``chain 'joint': entry 17: digest does not match (edited, inserted or reordered)``."""
        return f"chain '{self.label.describe()}': entry {self.seq}: {self.reason}"


def verify(
    session: Session,
    keys: Keyring,
    workspace_id: str,
    principal: Principal,
    expected: Iterable[ChainHead] = (),
) -> tuple[list[ChainHead], list[Break]]:
    """Recompute every chain ``principal`` may read; the heads found and each chain's first break.

    ``expected`` are heads printed earlier (in circulated reports): a chain now shorter than
    one of them was truncated, and one whose entry at that position has another digest was
    rewritten (re-hashed with a stolen key).
    Usage: ``found, broken = verify(session, keys, ws.id, KEEPER)``.
    """
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.workspace_id == workspace_id,
            readable(principal, AuditEntry.readers, AuditEntry.compartments),
        )
        .order_by(AuditEntry.readers, AuditEntry.compartments, AuditEntry.seq, AuditEntry.at)
    )
    chains: dict[tuple[str, str], list[AuditEntry]] = {}
    for entry in entries:
        chains.setdefault((entry.readers, entry.compartments), []).append(entry)
    found: list[ChainHead] = []
    broken: list[Break] = []
    digests: dict[tuple[str, str], dict[int, str]] = {}
    for (readers, compartments), chain in chains.items():
        label = decode_label(readers, compartments)
        previous, problem = GENESIS, None
        for position, entry in enumerate(chain, start=1):
            if entry.seq != position:
                problem = Break(label, position, f"entry {position} is missing or out of order")
                break
            if entry.key_id not in keys.keys:
                problem = Break(label, position, f"key '{entry.key_id}' is not configured")
                break
            if not hmac.compare_digest(
                _digest(keys.key(entry.key_id), previous, entry), entry.digest
            ):
                problem = Break(
                    label, position, "digest does not match (edited, inserted or reordered)"
                )
                break
            previous = entry.digest
        if problem is not None:
            broken.append(problem)
        digests[(readers, compartments)] = {e.seq: e.digest for e in chain}
        found.append(ChainHead(label, chain[-1].seq, chain[-1].digest))
    for head in expected:
        key = (encode_readers(head.label), encode_compartments(head.label.compartments))
        seen = digests.get(key, {})
        if head.seq not in seen:
            broken.append(
                Break(
                    head.label,
                    head.seq,
                    "the chain ends before a head circulated earlier (truncated)",
                )
            )
        elif not seen[head.seq].startswith(head.digest):
            broken.append(
                Break(head.label, head.seq, "differs from the head circulated earlier (rewritten)")
            )
    return found, broken


_HEAD_LINE = re.compile(
    r"(?P<label>[a-z0-9][a-z0-9 ,·-]*?): (?P<seq>\d+) entr(?:y|ies), "
    r"head (?P<digest>[0-9a-f]{16,64})"
)


def parse_heads(text: str) -> list[ChainHead]:
    """The chain heads printed in a report (as :meth:`ChainHead.describe` writes them).

    Usage: ``parse_heads(Path("sitrep-joint.md").read_text())``.
    """
    found: list[ChainHead] = []
    for match in _HEAD_LINE.finditer(text):
        who, *compartments = (part.strip() for part in match["label"].split("·"))
        readers = None if who == JOINT else frozenset(p.strip() for p in who.split(","))
        label = Label(readers, frozenset(compartments))
        found.append(ChainHead(label, int(match["seq"]), match["digest"]))
    return found
