"""Dependencies shared by the routes: settings, live bundle, feedback store, API key and the
answers (kept, or computed by the inference scheduler). They never block, so they are
coroutines: FastAPI would run plain functions in its thread pool, a hop per dependency per
request."""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

import anyio.to_thread
from fastapi import Depends, Header, Query, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader

from pipelines.feedback import FeedbackStore
from runtime import schemaorg
from runtime.errors import PostingTooLongError
from runtime.loaded import LoadedBundle
from runtime.schemas import Posting
from service.answers import Answers
from service.errors import NotReadyError, RateLimitedError, UnauthorizedError
from service.live import LiveModels
from service.ratelimit import RateLimiter, SharedRateLimiter
from service.settings import ServiceSettings


async def get_settings(request: Request) -> ServiceSettings:
    return request.app.state.settings


async def get_live(request: Request) -> LiveModels:
    return request.app.state.live


async def get_bundle(live: Annotated[LiveModels, Depends(get_live)]) -> LoadedBundle:
    """The bundle this request runs on, taken once at its start."""
    bundle = live.current
    if bundle is None:
        raise NotReadyError("no model bundle is loaded yet; train one with `careerpath train`"
                            + (f" ({live.reload_error})" if live.reload_error else ""))
    return bundle


async def get_answers(request: Request) -> Answers:
    return request.app.state.answers


async def get_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback


API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False,
                       description="Required on all but /health when CAREERPATH_API_KEYS is set.")


async def require_api_key(settings: Annotated[ServiceSettings, Depends(get_settings)],
                          x_api_key: Annotated[str | None, Security(API_KEY)] = None) -> None:
    if not settings.api_keys:
        return
    if x_api_key is None or not any(secrets.compare_digest(x_api_key, key)
                                    for key in settings.api_keys):
        raise UnauthorizedError("send a valid key in the X-API-Key header")


def key_client(api_key: str) -> str:
    """How a key's bucket is named (the key itself is not written down)."""
    return f"key:{hashlib.sha256(api_key.encode()).hexdigest()[:16]}"


async def enforce_rate_limit(request: Request, response: Response,
                             x_api_key: Annotated[str | None, Security(API_KEY)] = None) -> None:
    """Take a token from the caller's bucket (its API key's, or its address's), and say what
    is left; a caller whose bucket is empty gets 429 with the wait until its next token."""
    limiter: RateLimiter | SharedRateLimiter | None = request.app.state.limiter
    if limiter is None:
        return
    client = (key_client(x_api_key) if x_api_key
              else f"address:{request.client.host if request.client else 'unknown'}")
    decision = await anyio.to_thread.run_sync(limiter.take, client)
    response.headers.update(decision.headers())
    if not decision.allowed:
        raise RateLimitedError(
            f"this client may send {decision.limit.rate:g} requests a second (bursts of "
            f"{decision.limit.burst}); try again in {decision.retry_after:.1f} s",
            headers={**decision.headers(),
                     "Retry-After": str(max(1, math.ceil(decision.retry_after)))})


IGNORED_FIELDS = "X-Careerpath-Ignored-Fields"


MAX_IGNORED_NAMED = 20


def name_ignored(response: Response, fields: Sequence[str]) -> None:
    """Name the request's fields that no model knows, so that a misspelt field is seen;
    percent-encoded, since a header carries only Latin-1 and a field name can be any text."""
    if fields:
        response.headers[IGNORED_FIELDS] = ", ".join(
            quote(field, safe="@:$[]-_.~") for field in fields[:MAX_IGNORED_NAMED])


def check_length(job: Posting, settings: ServiceSettings) -> None:
    size = len(job.title) + len(job.description)
    if size > settings.max_text_chars:
        raise PostingTooLongError(f"the posting has {size} characters; the limit is "
                                  f"{settings.max_text_chars}", limit=settings.max_text_chars)


class AnswerFormat(StrEnum):
    careerpath = "careerpath"
    schema_org = "schema.org"


def linked_data(answer: dict, response: Response) -> JSONResponse:
    """A schema.org answer, with the headers already set on `response`."""
    return JSONResponse(answer, media_type=schemaorg.MEDIA_TYPE,
                        headers=dict(response.headers))


SettingsDep = Annotated[ServiceSettings, Depends(get_settings)]
BundleDep = Annotated[LoadedBundle, Depends(get_bundle)]
StoreDep = Annotated[FeedbackStore, Depends(get_store)]
LiveDep = Annotated[LiveModels, Depends(get_live)]
AnswersDep = Annotated[Answers, Depends(get_answers)]


async def answer_format(
        response: Response,
        format: Annotated[AnswerFormat | None, Query(  # noqa: A002 - the query's name
            description="`schema.org`: the answer as schema.org JSON-LD (application/ld+json) "
                        "instead of careerpath's own shape; `Accept: application/ld+json` "
                        "asks the same.")] = None,
        accept: Annotated[str, Header(include_in_schema=False)] = "") -> AnswerFormat:
    """The shape the caller asks for: the `format` query, else its Accept header."""
    response.headers["Vary"] = "Accept"
    if format is not None:
        return format
    return AnswerFormat.schema_org if schemaorg.MEDIA_TYPE in accept else AnswerFormat.careerpath


FormatDep = Annotated[AnswerFormat, Depends(answer_format)]
