"""Errors as answers: every error a client can cause is a 4xx with a readable JSON message.

``{"error": {"message": "...", "field": "..."}}`` — ``field`` names the input at fault where
there is one. A missing record and one the caller may not read get the same 404, word for
word. Nothing a client sends gives a 500; an internal error is logged and answered with one
line that says nothing of the data.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from summitry.errors import InputError, PlanError, SummitryError, format_path
from summitry.store.records import ConflictError, NotFoundError
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
    async def invalid(_request: Request, err: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": format_path(tuple(str(p) for p in e["loc"][1:])), "message": e["msg"]}
            for e in err.errors()
        ]
        first = problems[0] if problems else {"field": "", "message": "invalid request"}
        return JSONResponse(
            error_body(
                f"{first['field']}: {first['message']}", field=first["field"], problems=problems
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http(_request: Request, err: StarletteHTTPException) -> JSONResponse:
        headers = dict(err.headers or {})
        return JSONResponse(
            error_body(str(err.detail)), status_code=err.status_code, headers=headers
        )

    @app.exception_handler(SummitryError)
    async def ours(_request: Request, err: SummitryError) -> JSONResponse:
        return answer_for(err)

    @app.exception_handler(Exception)
    async def internal(_request: Request, err: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=err)
        return JSONResponse(error_body("internal error"), status_code=500)


def answer_for(err: SummitryError) -> JSONResponse:
    """The answer to one of our errors: 404, 409, 422, 429 or 400.

    Usage: ``answer_for(NotFoundError("no record 'x'"))``.
    """
    if isinstance(err, NotFoundError):
        return JSONResponse(error_body(str(err)), status_code=404)
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
