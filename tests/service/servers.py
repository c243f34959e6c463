"""A real `careerpath serve` process for the tests that need one, on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, model_dir: Path, feedback_url: str, workers: int = 1,
                 **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CAREERPATH_FEEDBACK_URL": feedback_url,
               "CAREERPATH_RELOAD_INTERVAL_SECONDS": "0.2",
               **{f"CAREERPATH_{name.upper()}": value for name, value in settings.items()}}
        # Logs go to a file: an unread pipe fills up and blocks the server mid-request.
        self.log = model_dir.parent / "server.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "careerpath.cli", "serve", "--store", str(model_dir),
                 "--port", str(self.port), "--workers", str(workers)],
                env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        self.started = time.monotonic()

    def wait_ready(self, timeout: float = 60) -> float:
        while time.monotonic() - self.started < timeout:
            try:
                if httpx.get(f"{self.url}/ready", timeout=1).status_code == 200:
                    return time.monotonic() - self.started
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text())
            time.sleep(0.1)
        raise TimeoutError("the server did not become ready")

    def workers(self) -> list[int]:
        """The worker processes' ids: the supervisor's spawned children (not, say, its
        multiprocessing resource tracker)."""
        found = subprocess.run(["pgrep", "-P", str(self.process.pid), "-f", "spawn_main"],
                               capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in found]

    def kill(self) -> None:
        """SIGKILL to the supervisor and its workers at once (its process group): killing
        the supervisor alone would leave its workers running, orphaned."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
