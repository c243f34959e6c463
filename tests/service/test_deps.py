import asyncio
import threading

import pytest

from service.deps import Inference


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


def test_waiting_calls_run_earliest_deadline_first() -> None:
    async def scenario() -> list[str]:
        inference, done = Inference(), []
        holder, release = await _occupy(inference)
        slow = await _queued(inference, done, "recommend", budget=1.0)
        fast = await _queued(inference, done, "tags", budget=0.001)
        release.set()
        await asyncio.gather(holder, slow, fast)
        return done

    assert asyncio.run(scenario()) == ["tags", "recommend"]


def test_a_call_whose_deadline_passed_goes_before_a_later_cheap_one() -> None:
    async def scenario() -> list[str]:
        inference, done = Inference(), []
        holder, release = await _occupy(inference)
        slow = await _queued(inference, done, "recommend", budget=0.010)
        await asyncio.sleep(0.05)  # its deadline passes while it waits
        fast = await _queued(inference, done, "tags", budget=0.005)
        release.set()
        await asyncio.gather(holder, slow, fast)
        return done

    assert asyncio.run(scenario()) == ["recommend", "tags"]


def test_a_cancelled_waiter_does_not_block_the_queue() -> None:
    async def scenario() -> list[str]:
        inference, done = Inference(), []
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
