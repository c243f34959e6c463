"""Dependencies shared by the routes: settings, live bundle, feedback store, API key and the
inference scheduler. They never block, so they are coroutines: FastAPI would run plain
functions in its thread pool, a hop per dependency per request."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Header, Request

from pipelines.feedback import FeedbackStore
from runtime.errors import PostingTooLongError
from runtime.loaded import LoadedBundle
from runtime.schemas import Posting
from runtime.settings import Settings
from service.errors import NotReadyError, ProblemError, UnauthorizedError
from service.live import LiveModels
from service.scheduler import Inference, naming_posting


async def get_settings(request: Request) -> Settings:
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


async def get_inference(request: Request) -> Inference:
    return request.app.state.inference


async def get_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback


async def require_api_key(settings: Annotated[Settings, Depends(get_settings)],
                    x_api_key: Annotated[str | None, Header()] = None) -> None:
    if not settings.api_keys:
        return
    if x_api_key is None or not any(secrets.compare_digest(x_api_key, key)
                                    for key in settings.api_keys):
        raise UnauthorizedError("send a valid key in the X-API-Key header")


def check_length(job: Posting, settings: Settings) -> None:
    size = len(job.title) + len(job.description)
    if size > settings.max_text_chars:
        raise PostingTooLongError(f"the posting has {size} characters; the limit is "
                                  f"{settings.max_text_chars}", limit=settings.max_text_chars)


def check_batch(jobs: Sequence[Posting], settings: Settings) -> None:
    if len(jobs) > settings.max_batch:
        raise ProblemError(f"at most {settings.max_batch} postings per call; got {len(jobs)}")
    for index, job in enumerate(jobs):
        with naming_posting(index):
            check_length(job, settings)


SettingsDep = Annotated[Settings, Depends(get_settings)]
BundleDep = Annotated[LoadedBundle, Depends(get_bundle)]
StoreDep = Annotated[FeedbackStore, Depends(get_store)]
LiveDep = Annotated[LiveModels, Depends(get_live)]
InferenceDep = Annotated[Inference, Depends(get_inference)]
