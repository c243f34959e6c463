"""HTTP load on loopback: `careerpath serve` with 2 workers, 8 concurrent clients sending
1,500-character postings to /recommend and /tags; latency per endpoint, throughput, errors,
time to ready and resident memory per worker. Bounded: it stops after --requests.

    python bench/service_load.py --bundle models [--requests 4000]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from bench.common import percentiles, postings, save


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _workers(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", type=Path, default=Path("models"))
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("reports/bench/service"))
    args = parser.parse_args()
    port = _port()
    env = {**os.environ, "CAREERPATH_FEEDBACK_URL": "sqlite:////tmp/careerpath-bench.db"}
    server = subprocess.Popen([sys.executable, "-m", "careerpath.cli", "serve", "--bundle",
                               str(args.bundle), "--port", str(port), "--workers",
                               str(args.workers)], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    while True:
        try:
            if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    ready_seconds = time.monotonic() - started
    jobs = postings(100)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[int] = []
    counter = iter(range(args.requests))
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                path = "/recommend" if n % 2 else "/tags"
                title, text = jobs[n % len(jobs)]
                start = time.perf_counter()
                response = http.post(path, json={"title": title, "description": text})
                elapsed = time.perf_counter() - start
                with lock:
                    timings[path].append(elapsed)
                    if response.status_code != 200:
                        errors.append(response.status_code)

    try:
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - wall
        memory = [_rss_mb(pid) for pid in _workers(server.pid)] or [_rss_mb(server.pid)]
    finally:
        server.terminate()
        server.wait(10)
    rows = [{"endpoint": path, "requests": len(values), **percentiles(values)}
            for path, values in sorted(timings.items())]
    save(rows, f"HTTP latency, {args.workers} workers, {args.clients} clients", args.out,
         "endpoint", ["p50_ms", "p99_ms"])
    print(f"\nthroughput: {args.requests / wall:.0f} requests/s; errors: {len(errors)}; "
          f"ready after {ready_seconds:.2f} s; RSS per worker (MB): "
          f"{', '.join(f'{m:.0f}' for m in memory)}")


if __name__ == "__main__":
    main()
