"""Errors as answers: every error a client can cause is a 4xx with a readable JSON message.

``{"error": {"message": "...", "field": "..."}}`` — ``field`` names the input at fault where
there is one. A missing record and one the caller may not read get the same 404, word for
word. Nothing a client sends gives a 500; an internal error is logged and answered with one
line that says nothing of the data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from summitry.errors import InputError, PlanError, SummitryError, format_path
from summitry.store.records import ConflictError, ForbiddenError, NotFoundError
from summitry.web.security import ThrottledError

log = logging.getLogger("summitry.web")


def error_body(message: str, **extra: Any) -> dict[str, Any]:
    """The JSON body of an error answer.

    Usage: ``JSONResponse(error_body("no such record"), status_code=404)``.
    """
    return {"error": {"message": message, **extra}}


def install(app: FastAPI) -> None:
    """Turn every error into its answer.

    Usage: ``install(app)`` in the app factory.
    """

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        problems = [{"field": _field(e["loc"]), "message": e["msg"]} for e in err.errors()]
        first = problems[0] if problems else {"field": "", "message": "invalid request"}
        if _is_page(request):
            return _error_page(request, 422, f"{first['field']}: {first['message']}")
        return JSONResponse(
            error_body(
                f"{first['field']}: {first['message']}", field=first["field"], problems=problems
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, err: StarletteHTTPException) -> Response:
        headers = dict(err.headers or {})
        if _is_page(request):
            if err.status_code == 401 and request.method == "GET":
                target = quote(request.url.path, safe="/")
                return RedirectResponse(f"/login?next={target}", status_code=303)
            return _error_page(request, err.status_code, str(err.detail), headers)
        return JSONResponse(
            error_body(str(err.detail)), status_code=err.status_code, headers=headers
        )

    @app.exception_handler(SummitryError)
    async def ours(request: Request, err: SummitryError) -> Response:
        answer = answer_for(err)
        if _is_page(request):
            return _error_page(request, answer.status_code, str(err), answer.headers)
        return answer

    @app.exception_handler(Exception)
    async def internal(_request: Request, err: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=err)
        return JSONResponse(error_body("internal error"), status_code=500)


def _is_page(request: Request) -> bool:
    """Whether the request is for a page (an HTML answer), not for the API."""
    return not request.url.path.startswith(("/api/", "/static/"))


def _error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """The error as a page: the same words as the API's, in the page frame."""
    from summitry.web.pages.render import page

    answer = page(request, "error.html", status=status, message=message)
    for name in ("Retry-After", "Allow"):
        if headers and name in headers:
            answer.headers[name] = headers[name]
    return answer


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    """The field a validation error is about, as a plan file spells it: ``fix[0].task``.

    The first part says where it came from (body, query, path); a missing body has no field
    of its own, so it is named ``body``.
    """
    path = tuple(p if isinstance(p, int) else str(p) for p in loc[1:])
    return format_path(path) if path else str(loc[0]) if loc else ""


def answer_for(err: SummitryError) -> JSONResponse:
    """The answer to one of our errors: 403, 404, 409, 422, 429 or 400.

    Usage: ``answer_for(NotFoundError("no record 'x'"))``.
    """
    if isinstance(err, NotFoundError):
        return JSONResponse(error_body(str(err)), status_code=404)
    if isinstance(err, ForbiddenError):
        return JSONResponse(error_body(str(err)), status_code=403)
    if isinstance(err, ConflictError):
        body = error_body(str(err), revision=err.revision, current=err.current)
        return JSONResponse(body, status_code=409)
    if isinstance(err, PlanError):
        problems = [{"field": format_path(p.path), "message": p.message} for p in err.problems]
        field = problems[0]["field"] if problems else ""
        return JSONResponse(error_body(str(err), field=field, problems=problems), status_code=422)
    if isinstance(err, ThrottledError):
        headers = {"Retry-After": str(err.seconds)}
        return JSONResponse(error_body(str(err)), status_code=429, headers=headers)
    if isinstance(err, InputError):
        return JSONResponse(error_body(str(err)), status_code=400)
    return JSONResponse(error_body(str(err)), status_code=400)
