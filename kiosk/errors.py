"""Errors the kiosk answers with: JSON under /api, a page elsewhere; never a stack trace."""

from __future__ import annotations

import logging

from sanic import Request
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, json

from wegwijzer.i18n import N_

logger = logging.getLogger(__name__)


class ApiError(SanicException):
    """An error with a stable code for programs and an (English source) message for people."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message, status_code=status)
        self.code = code


def json_object(request: Request, explanation: str) -> dict:
    """The request's body, which must be a JSON object; else a 400 saying `explanation`."""
    try:
        body = request.json
    except Exception:  # sanic raises InvalidUsage for a body that is not JSON
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", explanation)
    return body


# Codes and messages for the errors sanic raises itself.
SANIC_ERRORS = {
    400: ("bad_request", N_("The request is not valid.")),
    404: ("not_found", N_("This page does not exist.")),
    405: ("method_not_allowed", N_("This method is not allowed here.")),
    413: ("too_large", N_("The request is too large.")),
}


def handle_error(request: Request, exception: Exception) -> HTTPResponse:
    if isinstance(exception, ApiError):
        status, code, message = exception.status_code, exception.code, str(exception)
    elif isinstance(exception, SanicException) and exception.status_code in SANIC_ERRORS:
        status = exception.status_code
        code, message = SANIC_ERRORS[status]
    else:
        logger.exception("unexpected error on %s %s", request.method, request.path)
        status, code, message = 500, "internal_error", N_("Something went wrong. Please try again.")
    lang = getattr(request.ctx, "lang", None)
    templates = request.app.ctx.templates
    if request.path.startswith("/api/") or request.path == "/nlg":
        return json({"error": {"code": code, "message": templates.gettext(lang, message)}},
                    status=status)
    page = "staff/error.html" if request.path.startswith("/staff") else "error.html"
    return templates.render(request, page, status=status, message=message)
