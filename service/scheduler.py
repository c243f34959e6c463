"""The request scheduler: model work runs off the event loop, one call at a time per process,
earliest deadline first."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread

from runtime.schemas import Posting

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
