"""Against a real `careerpath serve` process: readiness, durability of acknowledged feedback
across a hard kill, hot reload under concurrent requests with zero failures, and metrics that
count every worker's requests."""

from __future__ import annotations

import shutil
import threading
import time

import httpx
import pytest

from pipelines.feedback import FeedbackStore
from runtime.bundles import BundleStore, ComponentRecord
from tests.service.servers import Server

JOB = {"title": "Staff Accountant",
       "description": "Reconcile bank accounts monthly and prepare financial statements. "
                      "Full-time, salary $60,000 per year. Bachelor's degree required."}


@pytest.fixture()
def store_copy(sample_store, tmp_path):
    target = tmp_path / "models"
    shutil.copytree(sample_store, target)
    return target


def test_acknowledged_feedback_survives_a_hard_kill(store_copy, tmp_path):
    feedback_url = f"sqlite:///{tmp_path / 'feedback.db'}"
    server = Server(store_copy, feedback_url)
    try:
        server.wait_ready()
        course = httpx.post(f"{server.url}/recommend", json=JOB).json()["courses"][0]["id"]
        ids = [httpx.post(f"{server.url}/feedback",
                          json={"job": JOB, "course_id": course, "helpful": n % 2 == 0},
                          headers={"Idempotency-Key": f"key-{n}"}).json()["id"]
               for n in range(5)]
    finally:
        server.kill()
    stored = FeedbackStore(feedback_url).since(0)
    assert [record.id for record in stored] == ids


def test_hot_reload_under_concurrent_requests_loses_nothing(store_copy, tmp_path):
    store = BundleStore(store_copy)
    old = store.live()
    server = Server(store_copy, f"sqlite:///{tmp_path / 'feedback.db'}")
    failures, versions, stop = [], set(), threading.Event()

    def client() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            while not stop.is_set():
                path = "/tags" if len(versions) % 2 else "/recommend"
                response = http.post(path, json=JOB)
                if response.status_code != 200:
                    failures.append(response.status_code)
                else:
                    versions.add(response.json()["model_version"])

    try:
        server.wait_ready()
        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while old.name not in versions and time.monotonic() < deadline:
            time.sleep(0.1)
        staging = store.begin()
        for component in ("reader", "recommend", "tags"):
            shutil.copytree(old / component, staging / component)
        new = store.commit(staging, {name: ComponentRecord()
                                     for name in ("reader", "recommend", "tags")})
        store.promote(new)
        deadline = time.monotonic() + 60
        while new.name not in versions and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join()
        assert httpx.get(f"{server.url}/version").json()["model_version"] == new.name
    finally:
        stop.set()
        server.kill()
    assert failures == []
    assert {old.name, new.name} <= versions


def test_metrics_count_the_requests_of_every_worker(store_copy, tmp_path):
    server = Server(store_copy, f"sqlite:///{tmp_path / 'feedback.db'}", workers=2)
    try:
        server.wait_ready()
        sent = 40
        for _ in range(sent):  # a connection each: the two workers race to accept them
            assert httpx.post(f"{server.url}/tags", json=JOB).status_code == 200
        line = 'careerpath_requests_total{endpoint="/tags",method="POST",status="200"}'
        counts = set()
        for _ in range(6):  # scrapes land on either worker; each must report the total
            text = httpx.get(f"{server.url}/metrics").text
            counts.add(next(float(row.split()[-1]) for row in text.splitlines()
                            if row.startswith(line)))
        assert counts == {float(sent)}
        assert 'careerpath_model_info{version="' in text
    finally:
        server.process.terminate()  # a clean stop removes the metrics directory
        server.process.wait(10)
