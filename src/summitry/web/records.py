"""The records API: every collection's records, their history and labels; the plan download.

Under ``/api/v1/workspaces/{workspace}``: the workspace as the member sees it, the member's
plan file, and for each collection of records (``records/{collection}``) list, get, create,
update, delete, history and restore, and the label's widening (confirmed by a second editor
of the owning party) and withdrawal. Every answer is drawn from the member's own view: a
record they may not read is not found, word for word as one that never was. Writes run in
the member's write transaction (editors only; the transaction is the request's boundary and
commits at its end), and ``MemberDep`` checks the CSRF token of a cookie-signed request. See
docs/api.md, "Records and labels".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from sqlalchemy.orm import Session

from summitry.domain.catalogue import COLLECTIONS
from summitry.store.audit import keyring
from summitry.store.records import (
    StoredRecord,
    Written,
    create_record,
    delete_record,
    record_history,
    records_collection,
    restore_record,
    update_record,
    view_record,
    view_records,
)
from summitry.store.views import assemble
from summitry.web.deps import Member, MemberDep
from summitry.web.schemas import (
    HistoryRead,
    RecordCreate,
    RecordPage,
    RecordRead,
    RecordRestore,
    RecordUpdate,
    RevisionRead,
    WideningCreate,
    WideningList,
    WideningRead,
    WithdrawalCreate,
    WorkspaceRead,
)

router = APIRouter(prefix="/api/v1")

WS = "/workspaces/{workspace}"
RECORDS = WS + "/records/{collection}"
ONE = RECORDS + "/{record_id}"
API = "/api/v1"

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
RevisionQuery = Annotated[int, Query(ge=1, le=2**31 - 1)]


def _audit(session: Session, member: Member, records: list[StoredRecord]) -> None:
    member.audit_reads(session, [(f"{r.collection}/{r.id}", r.label) for r in records])


def _answer(written: Written) -> RecordRead:
    """The record as the writer's view has it after the write."""
    assert written.view is not None
    return RecordRead.of(view_record(written.view, written.collection, written.id))


@router.get(WS)
def workspace_summary(member: MemberDep) -> WorkspaceRead:
    """The workspace's title, the member's party, role and clearances, their view's counts."""
    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
    counts = {name: len(view.data[name]) for name in COLLECTIONS if view.data.get(name)}
    principal = member.principal
    return WorkspaceRead(
        slug=member.workspace.slug,
        title=member.workspace.title,
        party=member.membership.party,
        role=member.role,
        clearances=sorted(principal.clearances),
        counts=counts,
    )


@router.get(WS + "/plan")
def download_plan(member: MemberDep) -> Response:
    """The member's view as a plan file: what their party may take away, nothing else."""
    from summitry.services.plans import export_view

    _, text = export_view(member.source, member.principal)
    name = f"{member.workspace.slug}-{member.membership.party}.toml"
    return Response(
        text,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(RECORDS)
def list_records(
    member: MemberDep, collection: str, offset: Offset = 0, limit: Limit = 50
) -> RecordPage:
    """One page of a collection in the member's view, in the view's order."""
    records_collection(collection)
    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
        found = view_records(view, collection)
        page = found[offset : offset + limit]
        _audit(session, member, page)
    return RecordPage(
        total=len(found), offset=offset, limit=limit, items=[RecordRead.of(r) for r in page]
    )


@router.post(RECORDS, status_code=201)
def create(
    member: MemberDep,
    collection: str,
    response: Response,
    request: Annotated[RecordCreate, Body()],
) -> RecordRead:
    """A new record of the member's party (an editor's); 201 with the record and its URL."""
    records_collection(collection)
    with member.writing() as session:
        written = create_record(
            session,
            keyring(member.db.file),
            member.workspace,
            member.principal,
            collection,
            request.slug,
            request.body,
            actor=member.actor,
        )
    response.headers["Location"] = (
        f"{API}/workspaces/{member.workspace.slug}/records/{collection}/{written.id}"
    )
    return _answer(written)


@router.get(ONE)
def get_record(member: MemberDep, collection: str, record_id: str) -> RecordRead:
    """One record of the member's view (404 for one they may not read, as for a missing one)."""
    records_collection(collection)
    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
        found = view_record(view, collection, record_id)
        _audit(session, member, [found])
    return RecordRead.of(found)


@router.put(ONE)
def update(
    member: MemberDep,
    collection: str,
    record_id: str,
    request: Annotated[RecordUpdate, Body()],
) -> RecordRead:
    """Replace a record's body; 409 with the current record if ``revision`` is stale."""
    records_collection(collection)
    with member.writing() as session:
        written = update_record(
            session,
            keyring(member.db.file),
            member.workspace,
            member.principal,
            record_id,
            request.body,
            request.revision,
            actor=member.actor,
            collection=collection,
        )
    return _answer(written)


@router.delete(ONE, status_code=204)
def delete(member: MemberDep, collection: str, record_id: str, revision: RevisionQuery) -> Response:
    """Delete a record at ``?revision=``; refused while the member's view still names it."""
    records_collection(collection)
    with member.writing() as session:
        delete_record(
            session,
            keyring(member.db.file),
            member.workspace,
            member.principal,
            record_id,
            revision,
            actor=member.actor,
            collection=collection,
        )
    return Response(status_code=204)


@router.get(ONE + "/history")
def history(member: MemberDep, collection: str, record_id: str) -> HistoryRead:
    """The revisions of a record the member may read, each with the label it had."""
    records_collection(collection)
    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
        revisions = record_history(
            session, member.workspace, member.principal, view, record_id, collection
        )
        member.audit_reads(session, [(f"{collection}/{record_id}", r.label) for r in revisions])
    return HistoryRead(
        id=record_id, collection=collection, revisions=[RevisionRead.of(r) for r in revisions]
    )


@router.post(ONE + "/restore")
def restore(
    member: MemberDep,
    collection: str,
    record_id: str,
    request: Annotated[RecordRestore, Body()],
) -> RecordRead:
    """Write an earlier revision's body again as a new revision (the label stays as it is)."""
    records_collection(collection)
    with member.writing() as session:
        written = restore_record(
            session,
            keyring(member.db.file),
            member.workspace,
            member.principal,
            record_id,
            request.revision,
            request.current_revision,
            actor=member.actor,
            collection=collection,
        )
    return _answer(written)


@router.post(ONE + "/widen", status_code=201)
def widen(
    member: MemberDep,
    collection: str,
    record_id: str,
    request: Annotated[WideningCreate, Body()],
) -> WideningRead:
    """Ask for a wider label; it waits for a second editor of the owning party to confirm."""
    from summitry.store.releases import request_widening

    records_collection(collection)
    visibility = request.visibility
    with member.writing() as session:
        pending = request_widening(
            session,
            keyring(member.db.file),
            member.workspace,
            member.principal,
            record_id,
            visibility if isinstance(visibility, str) else list(visibility),
            list(request.compartments),
            request.revision,
            user_id=member.caller.user.id,
            actor=member.actor,
            collection=collection,
        )
    return WideningRead.of(pending)


@router.post(ONE + "/withdraw")
def withdraw(
    member: MemberDep,
    collection: str,
    record_id: str,
    request: Annotated[WithdrawalCreate, Body()],
) -> RecordRead:
    """Withdraw a release of the member's party's record: private to its owner again."""
    from summitry.store.releases import withdraw_release

    records_collection(collection)
    with member.writing() as session:
        written = withdraw_release(
            session,
            keyring(member.db.file),
            member.workspace,
            member.principal,
            record_id,
            request.revision,
            actor=member.actor,
            collection=collection,
        )
    return _answer(written)


@router.get(WS + "/widenings")
def widenings(member: MemberDep) -> WideningList:
    """The widenings waiting for confirmation that the member may see."""
    from summitry.store.releases import pending_widenings

    with member.reading() as session:
        view = assemble(session, member.workspace, member.principal)
        found = pending_widenings(session, member.workspace, member.principal, view)
    return WideningList(items=[WideningRead.of(p) for p in found])


@router.post(WS + "/widenings/{widening_id}/confirm")
def confirm(member: MemberDep, widening_id: str) -> RecordRead:
    """Confirm a widening as a second editor of the owning party: the record's label widens."""
    from summitry.store.releases import confirm_widening

    with member.writing() as session:
        written = confirm_widening(
            session,
            keyring(member.db.file),
            member.workspace,
            member.principal,
            widening_id,
            user_id=member.caller.user.id,
            actor=member.actor,
        )
    return _answer(written)
