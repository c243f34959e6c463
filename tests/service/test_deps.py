import asyncio
import threading

import pytest

from service.scheduler import Inference

pytestmark = pytest.mark.timing  # clock-dependent: `make test` runs it twice


async def _occupy(inference: Inference) -> tuple[asyncio.Task, threading.Event]:
    """Start a call that holds the inference turn until the returned event is set."""
    release = threading.Event()
    started = threading.Event()

    def hold() -> str:
        started.set()
        release.wait(10)
        return "held"

    task = asyncio.create_task(inference.run(hold, budget=1.0))
    while not started.is_set():
        await asyncio.sleep(0.001)
    return task, release


async def _queued(inference: Inference, done: list[str], name: str, budget: float) -> asyncio.Task:
    task = asyncio.create_task(inference.run(done.append, name, budget=budget))
    await asyncio.sleep(0.01)  # let it join the queue
    return task


def _order(first_budget: float, second_budget: float, pause: float = 0.0) -> list[str]:
    """The order in which two calls queued behind a running one get their turn: "recommend"
    queued first, "tags" `pause` seconds later."""
    async def scenario() -> list[str]:
        inference = Inference()
        done: list[str] = []
        holder, release = await _occupy(inference)
        first = await _queued(inference, done, "recommend", budget=first_budget)
        await asyncio.sleep(pause)
        second = await _queued(inference, done, "tags", budget=second_budget)
        release.set()
        await asyncio.gather(holder, first, second)
        return done

    return asyncio.run(scenario())


def test_waiting_calls_run_earliest_deadline_first() -> None:
    assert _order(first_budget=1.0, second_budget=0.001) == ["tags", "recommend"]


def test_a_call_whose_deadline_passed_goes_before_a_later_cheap_one() -> None:
    # the first call's deadline passes while it waits
    assert _order(first_budget=0.010, second_budget=0.005, pause=0.05) == ["recommend", "tags"]


def test_a_cancelled_waiter_does_not_block_the_queue() -> None:
    async def scenario() -> list[str]:
        inference = Inference()
        done: list[str] = []
        holder, release = await _occupy(inference)
        gone = await _queued(inference, done, "cancelled", budget=0.001)
        kept = await _queued(inference, done, "kept", budget=0.010)
        gone.cancel()
        release.set()
        await asyncio.gather(holder, kept)
        with pytest.raises(asyncio.CancelledError):
            await gone
        await asyncio.wait_for(inference.run(done.append, "after", budget=0.01), 5)
        return done

    assert asyncio.run(scenario()) == ["kept", "after"]


def test_an_error_in_a_call_frees_the_turn() -> None:
    def fail() -> None:
        raise ValueError("model error")

    async def scenario() -> str:
        inference = Inference()
        with pytest.raises(ValueError, match="model error"):
            await inference.run(fail, budget=0.01)
        return await asyncio.wait_for(inference.run(str, "next", budget=0.01), 5)

    assert asyncio.run(scenario()) == "next"
