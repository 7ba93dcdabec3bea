"""Sign-in sessions and CSRF protection.

A signed-in device holds a random token in an HttpOnly, SameSite=Strict cookie; the
database keeps its hash and when it was last used, so a session ends after the idle time
on the server whatever the device does. Forms carry a CSRF token: a keyed hash of a random
cookie (the "signed double-submit cookie"), which a page of another site cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import wraps
from urllib.parse import urlencode

from sanic import Request
from sanic.response import HTTPResponse, redirect

from kiosk.errors import ApiError
from kiosk.models import Detainee, SignInSession, StaffUser
from wegwijzer.i18n import N_

SESSION_COOKIE = "wz_session"
CSRF_COOKIE = "wz_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
# Whatever the activity, a session ends after this long.
MAX_SESSION_AGE = timedelta(hours=12)
# last_seen is written at most this often, not on every request.
TOUCH_INTERVAL = timedelta(seconds=5)
# Chat needs no sign-in and takes JSON only (a form of another site cannot send JSON);
# /nlg answers the loopback Rasa server only.
CSRF_EXEMPT = {"/api/chat", "/nlg"}


def database(request: Request):
    """A database session for one request's work: `with database(request) as db:`."""
    return request.app.ctx.catalogue.sessions()


def signed_in_staff(db, request: Request) -> StaffUser:
    """The signed-in staff member, attached to `db` (request.ctx.staff is detached)."""
    return db.get(StaffUser, request.ctx.staff.id)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def load_session(request: Request) -> None:
    """Request middleware: who is signed in (request.ctx.detainee / .staff), then CSRF."""
    request.ctx.detainee = request.ctx.staff = request.ctx.session_key = None
    request.ctx.session_ended = False
    token = request.cookies.get(SESSION_COOKIE)
    if token and not request.path.startswith("/static/"):
        _resume(request, token)
    _check_csrf(request)


def _resume(request: Request, token: str) -> None:
    app = request.app
    now = datetime.utcnow()
    with database(request) as db:
        row = db.get(SignInSession, _hash(token))
        if row is None or _expired(row, now, app.ctx.settings):
            if row is not None:
                db.delete(row)
                db.commit()
            request.ctx.session_ended = True
            return
        if now - row.last_seen > TOUCH_INTERVAL:
            row.last_seen = now
            db.commit()
        request.ctx.session_key = row.token_hash
        request.ctx.detainee = row.detainee
        request.ctx.staff = row.staff


def detainee_reference(request: Request) -> str | None:
    """What the kiosk tells the assistant about a signed-in detainee: the session's key,
    signed. The assistant's actions resolve it with `detainee_of_reference`."""
    if request.ctx.detainee is None:
        return None
    key = request.ctx.session_key
    return f"{key}.{_sign_value(request.app.ctx.secret_key, key)}"


def detainee_of_reference(db, reference: str | None, secret_key: str,
                          settings) -> Detainee | None:
    """The detainee whose session `reference` names, while that session is still valid."""
    key, _, signature = (reference or "").partition(".")
    if not key or not hmac.compare_digest(_sign_value(secret_key, key), signature):
        return None
    row = db.get(SignInSession, key)
    if row is None or row.detainee is None or _expired(row, datetime.utcnow(), settings):
        return None
    return row.detainee


def _sign_value(secret_key: str, value: str) -> str:
    return hmac.new(secret_key.encode(), f"detainee:{value}".encode(),
                    hashlib.sha256).hexdigest()


def _expired(row: SignInSession, now: datetime, settings) -> bool:
    idle = settings.staff_idle_seconds if row.staff_id else settings.idle_seconds
    account = row.staff or row.detainee
    return (now - row.last_seen > timedelta(seconds=idle)
            or now - row.created_at > MAX_SESSION_AGE
            or account is None or not account.active)


def start_session(request: Request, response: HTTPResponse,
                  detainee: Detainee | None = None, staff: StaffUser | None = None) -> None:
    """Signs the device in (ending whatever session it had)."""
    _forget_session(request)
    token = secrets.token_urlsafe(32)
    with database(request) as db:
        db.add(SignInSession(token_hash=_hash(token), detainee_id=detainee and detainee.id,
                             staff_id=staff and staff.id))
        db.commit()
    set_cookie(request, response, SESSION_COOKIE, token)


def end_session(request: Request, response: HTTPResponse) -> None:
    _forget_session(request)
    forget_cookie(response, SESSION_COOKIE)


def _forget_session(request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with database(request) as db:
            row = db.get(SignInSession, _hash(token))
            if row is not None:
                db.delete(row)
                db.commit()


def detainee_page(handler):
    """For pages of a signed-in detainee: anyone else is sent to the sign-in page."""
    @wraps(handler)
    async def page(request: Request, *args, **kwargs):
        if request.ctx.detainee is None:
            return redirect(f"/signin?{_next(request)}", status=303)
        return await handler(request, *args, **kwargs)
    return page


def staff_page(*roles: str):
    """For console pages: staff with one of `roles` only."""
    def decorate(handler):
        @wraps(handler)
        async def page(request: Request, *args, **kwargs):
            staff = request.ctx.staff
            if staff is None:
                return redirect(f"/staff/signin?{_next(request)}", status=303)
            if staff.role not in roles:
                raise ApiError(403, "forbidden", N_("You may not open this page."))
            return await handler(request, *args, **kwargs)
        return page
    return decorate


def _next(request: Request) -> str:
    query = f"?{request.query_string}" if request.query_string else ""
    return urlencode({"next": request.path + query})


def safe_next(target: str | None, default: str) -> str:
    """Where to go after signing in: a path on this site only."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def session_seconds_left(request: Request) -> int:
    settings = request.app.ctx.settings
    return settings.staff_idle_seconds if getattr(request.ctx, "staff", None) \
        else settings.idle_seconds


def csrf_token(request: Request) -> str:
    """The token forms of this page must send back (made with a new cookie if needed)."""
    seed = request.cookies.get(CSRF_COOKIE) or getattr(request.ctx, "new_csrf_seed", None)
    if not seed:
        seed = request.ctx.new_csrf_seed = secrets.token_urlsafe(24)
    return _sign(request, seed)


def _sign(request: Request, seed: str) -> str:
    key = request.app.ctx.secret_key.encode()
    return hmac.new(key, f"csrf:{seed}".encode(), hashlib.sha256).hexdigest()


def _check_csrf(request: Request) -> None:
    # No route: sanic is reporting a 404 or 405, which should stay what it is.
    if (request.method in ("GET", "HEAD", "OPTIONS") or request.path in CSRF_EXEMPT
            or request.route is None):
        return
    seed = request.cookies.get(CSRF_COOKIE)
    given = request.headers.get(CSRF_HEADER) or (request.form or {}).get(CSRF_FIELD) or ""
    if not seed or not hmac.compare_digest(_sign(request, seed), given):
        raise ApiError(403, "csrf_failed", N_(
            "This form has expired. Please go back, reload the page and try again."))


def session_cookies(request: Request, response: HTTPResponse) -> None:
    """Response middleware: a new CSRF cookie when one was made; an ended session's
    cookie removed."""
    seed = getattr(request.ctx, "new_csrf_seed", None)
    if seed:
        set_cookie(request, response, CSRF_COOKIE, seed)
    if getattr(request.ctx, "session_ended", False):
        forget_cookie(response, SESSION_COOKIE)


def set_cookie(request: Request, response: HTTPResponse, name: str, value: str) -> None:
    response.cookies[name] = value
    response.cookies[name]["httponly"] = True
    response.cookies[name]["samesite"] = "Strict"
    response.cookies[name]["path"] = "/"
    if request.scheme == "https" or request.app.ctx.settings.secure_cookies:
        response.cookies[name]["secure"] = True


def forget_cookie(response: HTTPResponse, name: str) -> None:
    response.cookies[name] = ""
    response.cookies[name]["max-age"] = 0
    response.cookies[name]["path"] = "/"
