"""Typed errors and their RFC 7807 problem responses: the errors of the web layer itself, and
the one table that maps the models' domain errors to HTTP. Bad input is a 4xx with a clear
message, never a 500."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from pipelines.feedback import StoreUnavailableError
from runtime.errors import (
    ComponentMissingError,
    NotEnglishError,
    PostingError,
    PostingTooLongError,
    UnknownTextError,
    UnreadableTextError,
)
from runtime.schemas import field_errors, summarize_errors

PROBLEM_JSON = "application/problem+json"
STORE_RETRY_AFTER_SECONDS = 5
log = logging.getLogger("careerpath.service")


class ProblemError(Exception):
    """An error the client should see, with its HTTP status."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, headers: dict[str, str] | None = None,
                 **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


class BodyTooLargeError(ProblemError):
    status, title = 413, "Request body too large"


class NotReadyError(ProblemError):
    status, title = 503, "Models not ready"


class UnknownCourseError(ProblemError):
    status, title = 422, "Unknown course"


class CourseNotFoundError(ProblemError):
    status, title = 404, "No such course"


class UnsupportedMediaTypeError(ProblemError):
    status, title = 415, "Unsupported media type"


class UnknownTagError(ProblemError):
    status, title = 422, "Unknown tag"


class IdempotencyConflictError(ProblemError):
    status, title = 409, "Idempotency key reused"


class UnauthorizedError(ProblemError):
    status, title = 401, "Missing or invalid API key"


class RateLimitedError(ProblemError):
    status, title = 429, "Too many requests"


# Each domain error's status and title; a subclass not listed takes its nearest listed base's.
DOMAIN_PROBLEMS: dict[type[Exception], tuple[int, str]] = {
    PostingError: (422, "Unanswerable posting"),
    UnknownTextError: (422, "Unrecognised text"),
    UnreadableTextError: (422, "Unreadable text"),
    NotEnglishError: (422, "Posting not in English"),
    PostingTooLongError: (413, "Text too long"),
    ComponentMissingError: (503, "Models not ready"),
}


def domain_problem(error: Exception) -> tuple[int, str]:
    """The status and title of a domain error."""
    for kind in type(error).__mro__:
        if kind in DOMAIN_PROBLEMS:
            return DOMAIN_PROBLEMS[kind]
    raise TypeError(f"{type(error).__name__} is not a domain error")


def problem(status: int, title: str, detail: str, request: Request | None = None, *,
            extra: Mapping[str, object] | None = None,
            headers: Mapping[str, str] | None = None,
            problem_type: str = "about:blank") -> JSONResponse:
    body: dict[str, object] = {"type": problem_type, "title": title, "status": status,
                               "detail": detail, **(extra or {})}
    if request is not None:
        body["instance"] = request.url.path
        request_id = getattr(request.state, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    headers = {**({"WWW-Authenticate": "ApiKey"} if status == 401 else {}), **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_problem(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = error.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem(400, "Malformed JSON", "the request body is not valid UTF-8 JSON", request)
    return problem(422, "Invalid request", summarize_errors(errors), request,
                   extra={"errors": field_errors(errors)})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> JSONResponse:
        return problem(error.status, error.title, error.detail, request, extra=error.extra,
                       headers=error.headers)

    @app.exception_handler(PostingError)
    @app.exception_handler(ComponentMissingError)
    async def _domain(request: Request, error: Exception) -> JSONResponse:
        status, title = domain_problem(error)
        return problem(status, title, str(error), request, extra=getattr(error, "extra", None),
                       problem_type=getattr(error, "problem_type", "about:blank"))

    @app.exception_handler(StoreUnavailableError)
    async def _store_down(request: Request, error: StoreUnavailableError) -> JSONResponse:
        log.warning("feedback store unavailable", extra={"error": str(error)})
        return problem(503, "Feedback store unavailable",
                       "feedback cannot be stored right now and was not stored; send it again "
                       "later", request, headers={"Retry-After": str(STORE_RETRY_AFTER_SECONDS)})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return _validation_problem(request, error)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> JSONResponse:
        # the framework's own headers stay: a 405 must say what is Allowed (RFC 9110)
        return problem(error.status_code, _reason(error.status_code), str(error.detail), request,
                       headers=error.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem(500, "Internal error", "an unexpected error occurred; it was logged",
                       request)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
