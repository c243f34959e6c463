"""Faults under steady traffic, against a real `careerpath serve` with two workers and a
PostgreSQL of the test's own (initdb into a temporary directory, a free port; loopback only).
Each fault's requests are counted by status; acknowledged feedback is counted before and after.
Bounded: about two minutes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from runtime.bundles import BundleStore
from tests.service.servers import Server, free_port

pytestmark = pytest.mark.timing  # clock-dependent: `make test` runs it twice

JOB = {"title": "Staff Accountant",
       "description": "Reconcile bank accounts monthly and prepare financial statements. "
                      "Full-time, salary $60,000 per year. Bachelor's degree required."}
RECOVERY_SECONDS = 5


class OwnPostgres:
    """A throwaway PostgreSQL server: initdb, pg_ctl start and stop, as the postgres user."""

    def __init__(self) -> None:
        if not shutil.which("initdb") or not shutil.which("pg_ctl"):
            pytest.skip("PostgreSQL's initdb and pg_ctl are not installed")
        # not under pytest's tmp_path, whose root-only parents the postgres user cannot enter
        self.root, self.port = Path(tempfile.mkdtemp(prefix="careerpath-pg-")), free_port()
        self.data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.root / "log"), "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class Traffic:
    """Steady requests from four clients: three read (/recommend, /tags), one sends
    feedback; every answer is recorded under the phase it came in."""

    def __init__(self, url: str, course_id: str) -> None:
        self.url, self.course_id = url, course_id
        self.phase = "steady"
        self.statuses: dict[str, Counter[str]] = defaultdict(Counter)
        self.acknowledged: list[str] = []
        self.retry_after_missing = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read, args=(path,))
                         for path in ("/recommend", "/tags", "/recommend")]
        self._threads.append(threading.Thread(target=self._feedback))

    def __enter__(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def _send(self, http: httpx.Client, path: str, body: dict) -> httpx.Response | None:
        # counted under the phase it ends in: a fault hits the requests in flight
        try:
            response = http.post(path, json=body)
        except httpx.HTTPError as error:
            self.statuses[self.phase][f"{path} {type(error).__name__}"] += 1
            return None
        self.statuses[self.phase][f"{path} {response.status_code}"] += 1
        return response

    def _read(self, path: str) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as http:
            while not self._stop.is_set():
                self._send(http, path, JOB)

    def _feedback(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as http:
            while not self._stop.is_set():
                response = self._send(http, "/feedback", {"job": JOB, "helpful": True,
                                                          "course_id": self.course_id})
                if response is not None and response.status_code == 202:
                    self.acknowledged.append(response.json()["id"])
                elif response is not None and response.status_code == 503:
                    self.retry_after_missing += "retry-after" not in response.headers
                time.sleep(0.05)

    def during(self, phase: str, seconds: float) -> None:
        self.phase = phase
        time.sleep(seconds)

    def failures(self, phase: str, path: str) -> int:
        return sum(n for key, n in self.statuses[phase].items()
                   if key.startswith(path + " ") and not key.endswith((" 200", " 202")))


def _until(condition, timeout: float = 30) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    raise TimeoutError(f"not within {timeout} s")


def _seen_by_both_workers(url: str, reload_error: str) -> dict:
    """/ready once every worker has looked at LIVE and failed to load with `reload_error`
    (the metric is the workers' maximum, so wait on both: /ready answers from either)."""
    answers: list[dict] = []

    def both() -> bool:
        answers.append(httpx.get(f"{url}/ready").json())
        return sum(reload_error in (a.get("reload_error") or "") for a in answers[-6:]) >= 6

    _until(both)
    return answers[-1]


def test_faults_under_steady_traffic(sample_store, tmp_path, capsys):
    database = OwnPostgres()
    database.start()
    models = tmp_path / "models"
    shutil.copytree(sample_store, models)
    store = BundleStore(models)
    server = Server(models, database.url, workers=2)
    try:
        server.wait_ready()
        course = httpx.post(f"{server.url}/recommend", json=JOB).json()["courses"][0]["id"]
        with Traffic(server.url, course) as traffic:
            traffic.during("steady", 2)

            database.stop()
            traffic.during("database stopped", 3)
            stopped_at = len(traffic.acknowledged)
            database.start()
            traffic.phase = "database back"
            recovery = _until(lambda: len(traffic.acknowledged) > stopped_at)

            victim = server.workers()[0]
            os.kill(victim, signal.SIGKILL)
            traffic.phase = "worker killed"
            capacity = _until(lambda: len(server.workers()) == 2 and victim not in
                              server.workers())
            traffic.during("worker killed", 1)

            old = store.live()
            staging = store.begin()
            for component in old.iterdir():
                if component.is_dir():
                    shutil.copytree(component, staging / component.name)
            from runtime.bundles import read_manifest

            new = store.commit(staging, read_manifest(old).components)
            store.promote(new)
            traffic.during("bundle switched", 2)

            (models / "LIVE").write_text("no-such-bundle\n")
            traffic.phase = "LIVE names a missing bundle"
            ready = _seen_by_both_workers(server.url, "no-such-bundle")
            metrics = httpx.get(f"{server.url}/metrics").text
            broken = models / "20990101T000000.000000Z-dead"
            broken.mkdir()
            (broken / "manifest.json").write_text("{not json")
            (models / "LIVE").write_text(broken.name + "\n")
            traffic.phase = "LIVE names a corrupt bundle"
            corrupt_ready = _seen_by_both_workers(server.url, "not a bundle")
            store.promote(new)
            traffic.during("repaired", 1)
        stored = _count_feedback(database.url)
    finally:
        server.kill()
        database.stop()
        database.remove()

    with capsys.disabled():
        print("\nfault | answers by endpoint and status")
        for phase, counts in traffic.statuses.items():
            print(f"{phase} | {dict(sorted(counts.items()))}")
        print(f"database back: feedback stored again after {recovery:.1f} s; worker killed: "
              f"two workers again after {capacity:.1f} s; acknowledged {len(traffic.acknowledged)}"
              f", stored {stored}")

    for phase in traffic.statuses:
        assert traffic.failures(phase, "/tags") == 0 or phase == "worker killed", phase
    assert traffic.failures("database stopped", "/recommend") == 0
    assert traffic.statuses["database stopped"]["/feedback 503"] > 0
    assert traffic.retry_after_missing == 0
    assert recovery <= RECOVERY_SECONDS and capacity <= RECOVERY_SECONDS
    assert traffic.failures("worker killed", "/recommend") <= 4  # what the victim held
    for phase in ("bundle switched", "LIVE names a missing bundle",
                  "LIVE names a corrupt bundle", "repaired"):
        assert traffic.failures(phase, "/recommend") == 0, phase
    assert ready["ready"] and ready["model_version"] == new.name and ready["reload_error"]
    assert str(models) not in ready["reload_error"] + corrupt_ready["reload_error"]
    assert "careerpath_bundle_reload_failing 1.0" in metrics
    assert corrupt_ready["ready"] and "not a bundle" in corrupt_ready["reload_error"]
    # Nothing acknowledged was lost; a row more is a request that was stored but whose
    # worker died before answering (the client retries it with its idempotency key).
    unanswered = sum(traffic.failures(phase, "/feedback") for phase in traffic.statuses)
    assert len(traffic.acknowledged) <= stored <= len(traffic.acknowledged) + unanswered


def _count_feedback(url: str) -> int:
    from pipelines.feedback import FeedbackStore

    store = FeedbackStore(url)
    try:
        return store.count_since(0)
    finally:
        store.close()


def test_a_full_disk_refuses_feedback_and_keeps_what_was_acknowledged(settings_for_disk):
    settings, disk = settings_for_disk
    from service.app import create_app

    with TestClient(create_app(settings)) as client:
        course = client.post("/recommend", json=JOB).json()["courses"][0]["id"]
        body = {"job": JOB, "course_id": course, "helpful": True}
        acknowledged = [client.post("/feedback", json=body).json()["id"] for _ in range(3)]
        filler = disk / "filler"
        with filler.open("wb") as handle:  # fill the file system to the last byte
            while True:
                try:
                    handle.write(b"\0" * 65536)
                    handle.flush()
                except OSError:
                    break
        refused = [client.post("/feedback", json={**body, "helpful": n % 2 == 0})
                   for n in range(5)]
        assert client.post("/tags", json=JOB).status_code == 200
        filler.unlink()
        again = client.post("/feedback", json=body)
    assert all(r.status_code == 503 and r.headers["retry-after"] for r in refused)
    assert again.status_code == 202
    from pipelines.feedback import FeedbackStore

    stored = [record.id for record in FeedbackStore(settings.feedback_url).since(0)]
    assert stored == [*acknowledged, again.json()["id"]]


@pytest.fixture()
def settings_for_disk(sample_store, tmp_path):
    """Settings whose feedback store sits on a 2 MB file system of its own (tmpfs)."""
    from service.settings import ServiceSettings as Settings

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("no small file system can be mounted here (needs root)")
    try:
        yield Settings(model_dir=sample_store, feedback_url=f"sqlite:///{disk / 'fb.db'}"), disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_an_idle_pooled_connection_is_still_served_after_30_seconds(sample_store, tmp_path):
    """Load balancers keep idle connections for 60 s: the service must not close first."""
    server = Server(sample_store, f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        server.wait_ready()
        request = (f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            stream = connection.makefile("rb")
            connection.sendall(request)
            assert _response_status(stream) == 200
            time.sleep(31)
            connection.sendall(request)  # the same connection, idle all the while
            assert _response_status(stream) == 200
    finally:
        server.kill()


def _response_status(stream) -> int:
    """Read one whole HTTP/1.1 response (headers and a Content-Length body); its status."""
    first = stream.readline()
    assert first, "the service closed the connection"
    status = int(first.split()[1])
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    stream.read(length)
    return status
