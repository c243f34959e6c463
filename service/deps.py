"""Dependencies shared by the routes: settings, live bundle, feedback store, API key, the
language check and the inference queue. They never block, so they are coroutines: FastAPI
would run plain functions in its thread pool, a hop per dependency per request."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, TypeVar

import anyio.to_thread
from fastapi import Depends, Header, Request

from careerpath.settings import Settings
from service.errors import NotReadyError, ProblemError, TextTooLongError, UnauthorizedError
from service.feedback import FeedbackStore
from service.language import LanguageGuard
from service.live import LiveModels, LoadedBundle
from service.recommender import UnknownTextError
from service.schemas import JobPosting


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


T = TypeVar("T")


class Inference:
    """Runs model work off the event loop, one call at a time per process, earliest deadline
    first. Threads of one process only take turns on the GIL: at 8 connections on 2 workers,
    a shared pool measured a p99 of 57-80 ms against 20-45 ms for one call at a time
    (bench/service_load.py). Each call's deadline is its arrival plus its endpoint's latency
    budget, so a 0.5 ms tagging call does not queue behind 1.5 ms recommendations that can wait,
    and no call waits forever: every deadline eventually becomes the earliest."""

    def __init__(self) -> None:
        self._busy = False
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def run(self, function: Callable[..., T], *args: object, budget: float) -> T:
        """`function(*args)` in a worker thread; `budget`: seconds this call may take."""
        await self._turn(time.monotonic() + budget)
        try:
            return await anyio.to_thread.run_sync(function, *args)
        finally:
            self._hand_over()

    async def run_each(self, function: Callable[..., T], jobs: Sequence[JobPosting],
                       *args: object, budget: float) -> list[T]:
        """`function(*args, job)` for each posting of a batch, in turn, so single requests
        are served between them; an error names the posting it came from."""
        results = []
        for index, job in enumerate(jobs):
            with naming_posting(index):
                results.append(await self.run(function, *args, job, budget=budget))
        return results

    async def _turn(self, deadline: float) -> None:
        if not self._busy:
            self._busy = True
            return
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (deadline, next(self._arrivals), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # handed the turn, then cancelled
                self._hand_over()
            raise

    def _hand_over(self) -> None:
        while self._waiting:
            turn = heapq.heappop(self._waiting)[2]
            if not turn.done():  # a cancelled waiter's future is done
                turn.set_result(None)
                return
        self._busy = False


@contextmanager
def naming_posting(index: int) -> Iterator[None]:
    """Prefix an error about one posting of a batch with its place, `jobs[3]: ...`."""
    try:
        yield
    except ProblemError as error:
        error.detail = f"jobs[{index}]: {error.detail}"
        error.extra["index"] = index
        raise
    except UnknownTextError as error:
        raise UnknownTextError(f"jobs[{index}]: {error}") from error


async def get_inference(request: Request) -> Inference:
    return request.app.state.inference


async def get_language(request: Request) -> LanguageGuard:
    return request.app.state.language


async def get_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback


async def require_api_key(settings: Annotated[Settings, Depends(get_settings)],
                    x_api_key: Annotated[str | None, Header()] = None) -> None:
    if not settings.api_keys:
        return
    if x_api_key is None or not any(secrets.compare_digest(x_api_key, key)
                                    for key in settings.api_keys):
        raise UnauthorizedError("send a valid key in the X-API-Key header")


def check_length(job: JobPosting, settings: Settings) -> None:
    size = len(job.title) + len(job.description)
    if size > settings.max_text_chars:
        raise TextTooLongError(f"the posting has {size} characters; the limit is "
                               f"{settings.max_text_chars}", limit=settings.max_text_chars)


def check_batch(jobs: Sequence[JobPosting], settings: Settings) -> None:
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
LanguageDep = Annotated[LanguageGuard, Depends(get_language)]
