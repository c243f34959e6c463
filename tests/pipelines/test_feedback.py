from __future__ import annotations

import multiprocessing
import uuid

import pytest
from sqlalchemy import create_engine, text

from pipelines.feedback import FeedbackStore

STARTING_TOGETHER = 6


def _open_and_add(url: str, start: multiprocessing.synchronize.Barrier) -> None:
    start.wait()
    FeedbackStore(url).add("course", {"course_id": "c1", "helpful": True})


def _start_workers_together(url: str) -> None:
    """Worker processes opening one fresh store at the same moment, as `serve --workers N`
    and replicas do: each must come up, none may lose its write."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(STARTING_TOGETHER)
    workers = [context.Process(target=_open_and_add, args=(url, start))
               for _ in range(STARTING_TOGETHER)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * STARTING_TOGETHER
    assert FeedbackStore(url).count_since(0) == STARTING_TOGETHER


@pytest.mark.parametrize("attempt", range(3))
def test_workers_creating_a_fresh_sqlite_store_together(tmp_path, attempt):
    _start_workers_together(f"sqlite:///{tmp_path / 'feedback.db'}")


@pytest.mark.postgres
def test_workers_creating_a_fresh_postgresql_store_together(postgres_url):
    schema = f"careerpath_{uuid.uuid4().hex[:8]}"
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text(f"create schema {schema}"))
    try:
        _start_workers_together(f"{postgres_url}?options=-csearch_path%3D{schema}")
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"drop schema {schema} cascade"))
        engine.dispose()
