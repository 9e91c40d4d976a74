"""What every answer carries (security headers) and what no request may exceed (its size).

The content security policy allows scripts, styles and images from the server alone: no
inline script, no third-party host. In production, cookies are ``Secure`` and browsers are
told to use HTTPS only (HSTS).
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""The content security policy of every page: nothing inline, nothing from elsewhere."""


class SecurityHeaders:
    """Add the security headers to every response."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        """Wrap ``app``; ``production`` adds HSTS."""
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if production:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                # Pages show a party's private material as much as the API does: neither
                # may linger in a shared browser's cache or a proxy. Only our own static
                # files (no material) may be cached.
                if not scope["path"].startswith("/static/") and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Answer 413 to a request whose body is larger than ``limit`` bytes (declared or sent)."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        """Wrap ``app`` with the limit."""
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse early on Content-Length; count the bytes of a streamed body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        seen = 0
        started = False
        over = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise _TooLargeError
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if over:
                # The app caught the refusal and answered on its own (FastAPI says 400 "error
                # parsing the body"); the client is told the true reason instead.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _too_large(send, self.limit)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracking)
        except _TooLargeError:
            if not started:
                await _too_large(send, self.limit)


class _TooLargeError(Exception):
    """A streamed body went past the limit."""


async def _too_large(send: Send, limit: int) -> None:
    import json

    body = json.dumps(
        {"error": {"message": f"the request is larger than the {limit} bytes this server takes"}}
    ).encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
