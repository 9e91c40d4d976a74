"""Signing in: server-side sessions, CSRF tokens, API tokens and log-in throttling.

A session is a random secret held in a signed cookie; the database keeps only its hash, with
the user and the expiry, so signing out (or a new password) ends it at once. Every log-in makes
a new session, so a session id planted before log-in is worth nothing afterwards. The CSRF
token of a session is derived from its secret with the server's key: a state-changing request
that rides on the cookie must carry it (form field ``csrf_token`` or header ``X-CSRF-Token``).
API tokens (``Authorization: Bearer …``) are for scripts: stored hashed, revocable, and they
need no CSRF token because a browser never sends them by itself.

Failed log-ins are counted per account name — whether or not such an account exists, so the
throttle tells nothing of which names are real — and after a few, the next attempt must wait,
twice as long after each further failure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from summitry.errors import SummitryError
from summitry.settings import Settings
from summitry.store.schema import LoginAttempts, SessionRow, TokenRow, User, new_id, now
from summitry.store.users import verify_password

SESSION_COOKIE = "summitry_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_PREFIX = "smt_"


class ThrottledError(SummitryError):
    """Too many failed log-ins for this account name: wait before the next attempt."""

    def __init__(self, seconds: int) -> None:
        """Say how long to wait."""
        super().__init__(f"too many failed log-ins; try again in {seconds} s")
        self.seconds = seconds


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Keys:
    """The server's secret and what is derived from it: cookie signing and CSRF tokens."""

    secret: str

    @property
    def cookies(self) -> URLSafeSerializer:
        """The signer of session cookies."""
        return URLSafeSerializer(self.secret, salt="summitry-session")

    def csrf_token(self, session_secret: str) -> str:
        """The CSRF token of a session: an HMAC of its secret, never stored.

        Usage: ``keys.csrf_token(secret)`` in a form's hidden field.
        """
        mac = hmac.new(self.secret.encode(), b"csrf:" + session_secret.encode(), hashlib.sha256)
        return mac.hexdigest()

    def csrf_ok(self, session_secret: str, given: str | None) -> bool:
        """Whether ``given`` is the CSRF token of the session (compared in constant time).

        Usage: ``keys.csrf_ok(secret, request.headers.get(CSRF_HEADER))``.
        """
        return given is not None and hmac.compare_digest(self.csrf_token(session_secret), given)


def server_keys(config: Settings) -> Keys:
    """The server's keys: from SUMMITRY_SECRET_KEY, else (not in production) random ones.

    Usage: ``keys = server_keys(settings())``.
    """
    if config.secret_key:
        return Keys(config.secret_key)
    if config.production:
        raise SummitryError(
            "production mode needs SUMMITRY_SECRET_KEY (a long random string) in the environment"
        )
    return Keys(secrets.token_urlsafe(32))


def log_in(session: Session, config: Settings, username: str, password: str) -> User | None:
    """The user, if the password is right and the account is not throttled; counts failures.

    Raises :class:`ThrottledError` while the account name must wait (whatever the password).
    Usage: ``user = log_in(session, settings(), "alice", "correct horse")``.
    """
    key = _digest(username.strip().lower())
    attempts = _locked_attempts(session, key)
    moment = now()
    if attempts is not None and attempts.blocked_until is not None:
        until = _aware(attempts.blocked_until)
        if until > moment:
            raise ThrottledError(max(1, int((until - moment).total_seconds() + 0.999)))
    user = verify_password(session, username, password)
    if user is not None:
        if attempts is not None:
            session.delete(attempts)
        session.flush()
        return user
    if attempts is None:
        attempts = LoginAttempts(key=key, failures=0)
        session.add(attempts)
    attempts.failures += 1
    beyond = attempts.failures - config.login_attempts
    if beyond >= 0:
        pause = config.login_pause_seconds * 2 ** min(beyond, 10)
        attempts.blocked_until = moment + dt.timedelta(seconds=pause)
    session.flush()
    return None


def _locked_attempts(session: Session, key: str) -> LoginAttempts | None:
    """The failures counted for ``key``, locked until commit (None: none yet).

    Concurrent log-ins of one account name queue here, so a burst of guesses can neither
    slip past the throttle by reading the same count nor collide adding the first row.
    On SQLite the write transaction (BEGIN IMMEDIATE) already serialises them.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        session.execute(insert(LoginAttempts).values(key=key, failures=0).on_conflict_do_nothing())
        # A row with no failures is the placeholder: a success deletes it as it would a count.
        return session.get(LoginAttempts, key, with_for_update=True, populate_existing=True)
    return session.get(LoginAttempts, key)


def start_session(session: Session, config: Settings, keys: Keys, user: User) -> tuple[str, str]:
    """A new session for ``user``: the signed cookie value and the session's secret.

    Sessions that have expired (anyone's) are deleted on the way: each log-in tidies up.
    Usage: ``cookie, secret = start_session(session, settings(), keys, user)``.
    """
    secret = secrets.token_urlsafe(32)
    moment = now()
    session.execute(delete(SessionRow).where(SessionRow.expires_at <= moment))
    session.add(
        SessionRow(
            id=new_id(),
            secret_hash=_digest(secret),
            user_id=user.id,
            created_at=moment,
            expires_at=moment + dt.timedelta(hours=config.session_hours),
        )
    )
    session.flush()
    return keys.cookies.dumps(secret), secret


def session_user(session: Session, keys: Keys, cookie: str | None) -> tuple[User, str] | None:
    """The signed-in user of a session cookie and the session's secret (None: not signed in).

    An expired session, a disabled user and a forged cookie all read as not signed in.
    Usage: ``found = session_user(session, keys, request.cookies.get(SESSION_COOKIE))``.
    """
    if not cookie:
        return None
    try:
        secret = keys.cookies.loads(cookie)
    except BadSignature:
        return None
    if not isinstance(secret, str):
        return None
    row = session.scalar(select(SessionRow).where(SessionRow.secret_hash == _digest(secret)))
    if row is None or _aware(row.expires_at) <= now():
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    return user, secret


def end_session(session: Session, keys: Keys, cookie: str | None) -> None:
    """Sign out: the session is deleted, so its cookie is worthless from now on.

    Usage: ``end_session(session, keys, request.cookies.get(SESSION_COOKIE))``.
    """
    found = session_user(session, keys, cookie)
    if found is not None:
        session.execute(delete(SessionRow).where(SessionRow.secret_hash == _digest(found[1])))
        session.flush()


def new_token(session: Session, user: User, name: str) -> tuple[TokenRow, str]:
    """A new API token for ``user``: the row (for its id) and the token, shown once.

    Usage: ``row, token = new_token(session, user, "weekly forecast script")``.
    """
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = TokenRow(
        id=new_id(), secret_hash=_digest(secret), user_id=user.id, name=name[:120], created_at=now()
    )
    session.add(row)
    session.flush()
    return row, secret


def token_user(session: Session, token: str) -> User | None:
    """The user of an API token (None: unknown, revoked, or the user is disabled).

    Usage: ``token_user(session, "smt_…")``.
    """
    row = session.scalar(select(TokenRow).where(TokenRow.secret_hash == _digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    return None if user is None or user.disabled else user


def revoke_token(session: Session, user: User, token_id: str) -> bool:
    """Revoke one of the user's own tokens; False when they have no such token.

    Usage: ``revoke_token(session, user, token_id)``.
    """
    row = session.get(TokenRow, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = now()
    session.flush()
    return True


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands times back without their zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
