"""Starting a workspace: importing a briefing or a plan file; the reader's plan file.

- The download is the JSON API's ``GET plan`` (the member's view as a plan file, what
  ``summitry export --as PARTY`` writes): the page calls that very function.
- A briefing is turned into a plan file by the service ``summitry import`` uses
  (``services.plans.import_briefing_file``); the page shows what was understood and what
  was not, and the plan file it made. It writes nothing to the workspace.
- A plan file is loaded by the store function ``summitry load`` uses
  (``store.loading.load_plan``), for editors only (the API's rule for writes), and only
  with records the editor's party may read: it fills a workspace that holds no plan yet and
  refuses, next to the field, one that does.

Uploads larger than the server's body limit are refused with 413 before they reach here.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from summitry.errors import PlanError, SummitryError
from summitry.web.deps import Member, MemberDep
from summitry.web.pages.render import page, see_other

router = APIRouter(include_in_schema=False)

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _plan_page(
    request: Request,
    member: Member,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    return page(
        request,
        "plan/page.html",
        member,
        section="plan",
        status=status,
        errors=errors or {},
        may_load=member.role == "editor",
        **context,
    )


def _upload_name(upload: UploadFile, default: str) -> str:
    """The uploaded file's own name, reduced to safe characters (never a path)."""
    name = Path(upload.filename or default).name
    return _SAFE_NAME.sub("-", name).strip(".-") or default


def _without(folder: str, message: str) -> str:
    """A message with the temporary folder left out (no machine path reaches the page)."""
    return message.replace(folder.rstrip("/") + "/", "").replace(folder, "")


@router.get("/w/{workspace}/plan")
def plan_page(request: Request, member: MemberDep, loaded: int = 0) -> HTMLResponse:
    """Download my plan file; import a briefing; load a plan file."""
    return _plan_page(request, member, loaded=bool(loaded))


@router.get("/w/{workspace}/plan/download")
def plan_download(member: MemberDep) -> Response:
    """The member's view as a plan file (the JSON API's ``GET plan``, the same function)."""
    from summitry.web.records import download_plan

    return download_plan(member)


@router.post("/w/{workspace}/plan/briefing")
def import_briefing_form(
    request: Request,
    member: MemberDep,
    briefing: Annotated[UploadFile | None, File()] = None,
    parties: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    """Turn an uploaded briefing into a plan file; show what was understood and what not."""
    from summitry.services.plans import import_briefing_file, record_counts

    if briefing is None or not (briefing.filename or "").strip():
        return _plan_page(
            request, member, status=422, errors={"briefing": "Choose a briefing file to import."}
        )
    named = tuple(p.strip() for p in parties.split(",") if p.strip())
    name = _upload_name(briefing, "briefing.txt")
    with tempfile.TemporaryDirectory(prefix="summitry-import-") as folder:
        source = Path(folder) / name
        source.write_bytes(briefing.file.read())
        try:
            result = import_briefing_file(source, Path(folder) / "plan.toml", named, force=True)
            text = _without(folder, (Path(folder) / "plan.toml").read_text(encoding="utf-8"))
        except SummitryError as err:
            error = _without(folder, str(err))
            return _plan_page(request, member, status=422, errors={"briefing": error})
        understood = [_without(folder, line) for line in result.understood]
        not_understood = [_without(folder, line) for line in result.not_understood]
    return _plan_page(
        request,
        member,
        imported={
            "name": name,
            "counts": record_counts(result.plan),
            "understood": understood,
            "not_understood": not_understood,
            "text": text,
        },
        parties=parties,
    )


@router.post("/w/{workspace}/plan/load")
def load_plan_form(
    request: Request,
    member: MemberDep,
    plan_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Load an uploaded plan file into this workspace (editors; a workspace with no plan yet)."""
    from summitry.access.views import check_reader, view_data
    from summitry.io import planfile
    from summitry.store.audit import keyring
    from summitry.store.loading import load_plan

    if member.role != "editor":
        # The API's rule for every write: 403 to anyone but an editor.
        with member.writing():
            pass
    if plan_file is None or not (plan_file.filename or "").strip():
        errors = {"plan_file": "Choose a plan file (TOML) to load."}
        return _plan_page(request, member, status=422, errors=errors)
    name = _upload_name(plan_file, "plan.toml")
    raw = plan_file.file.read()
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        errors = {"plan_file": f"{name}: not a UTF-8 text file"}
        return _plan_page(request, member, status=422, errors=errors)
    try:
        data, _ = planfile.upgrade_data(planfile.parse_toml(text, name))
        planfile.from_data(data, text, name)
        check_reader(data, member.principal)
        if view_data(data, member.principal) != data:
            errors = {
                "plan_file": (
                    f"{name} holds records your party may not read; only the operator loads "
                    "such a file (summitry load)"
                )
            }
            return _plan_page(request, member, status=422, errors=errors)
        with member.writing() as session:
            load_plan(
                session,
                keyring(member.db.file),
                text,
                name,
                member.workspace.slug,
                actor=member.actor,
            )
    except PlanError as err:
        lines = [str(problem) for problem in err.problems] or [str(err)]
        return _plan_page(request, member, status=422, errors={"plan_file": "; ".join(lines[:20])})
    except SummitryError as err:
        return _plan_page(request, member, status=422, errors={"plan_file": str(err)})
    return see_other(f"/w/{member.workspace.slug}/plan?loaded=1")
