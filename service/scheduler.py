"""The request scheduler: model work runs off the event loop, one call at a time per process,
earliest deadline first."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

import anyio.to_thread

from runtime.errors import PostingError
from runtime.schemas import Posting
from service.errors import ProblemError

T = TypeVar("T")
P = TypeVar("P", bound=Posting)


class Inference:
    """Runs model work off the event loop, one call at a time per process, earliest deadline
    first. Threads of one process only take turns on the GIL, so a shared pool only adds
    switching to the tail latency (docs/experiments.md, "Service under load"). Each call's
    deadline is its arrival plus its endpoint's latency budget, so a quick tagging call does
    not queue behind recommendations that can wait, and no call waits forever: every deadline
    eventually becomes the earliest."""

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

    async def run_each(self, function: Callable[[P], T], jobs: Sequence[P],
                       budget: float) -> list[T]:
        """`function(job)` for each posting of a batch, in turn, so single requests are
        served between them; an error names the posting it came from."""
        results = []
        for index, job in enumerate(jobs):
            with naming_posting(index):
                results.append(await self.run(function, job, budget=budget))
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
    except (ProblemError, PostingError) as error:
        error.detail = f"jobs[{index}]: {error.detail}"
        error.extra["index"] = index
        raise
