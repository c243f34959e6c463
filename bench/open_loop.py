"""Open-loop HTTP load on loopback: requests arrive on a clock at a fixed rate, whether or not
the service keeps up, and each latency is measured from its scheduled time, so queueing shows
(a closed-loop client such as wrk slows down with the service and hides it).

Two traffic shapes, over real Indeed postings of 1,000-4,000 characters:
- `new`: 60% /recommend (k=10), 40% /tags, every request a posting never sent before (each
  carries its own reference number), so no kept answer can serve it;
- `repeat`: a job board rendering posting pages: a posting drawn Zipf-distributed (s = 1.1)
  from 1,000, and the four requests of its page (/recommend, /tags, /skills, /path).
`careerpath serve` runs 2 workers, the generator shares the same cores. It writes raw HTTP/1.1
on asyncio streams (a connection per request in flight, reused when idle) to spend as little
CPU per request as it can.

    python -m bench.open_loop --store models [--shapes new repeat] [--rates 100 300 600]
    python -m bench.open_loop --store models --soak-minutes 20 --rates 300 --switch-every 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.common import SHARED, free_port, open_fds, rss_mb, save, wait_ready, worker_pids

NEW_MIX = (("/recommend", 0.60), ("/tags", 0.40))
PAGE = ("/recommend", "/tags", "/skills", "/path")
ZIPF_EXPONENT = 1.1
TIMEOUT_SECONDS = 10
MAX_CONNECTIONS = 500  # below the descriptor limit; a saturated service queues past it


def real_postings(n: int = 1000, seed: int = 0) -> list[tuple[str, str]]:
    from pipelines.jobs import read_jobs

    jobs = read_jobs(SHARED / "jobs" / "indeed_unlabeled.tsv")[0]
    fitting = list({(job.title, job.description) for job in jobs
                    if 1000 <= len(job.description) <= 4000})
    fitting.sort()
    return random.Random(seed).sample(fitting, min(n, len(fitting)))


def body_for(path: str, title: str, description: str) -> dict:
    return {"title": title, "description": description, **({"k": 10} if path == "/recommend"
                                                            else {})}


def new_traffic(count: int, port: int, postings: list[tuple[str, str]], seed: int
                ) -> list[tuple[str, bytes]]:
    """`count` requests of the 60/40 mix, each about a posting never sent before."""
    rng = random.Random(seed)
    paths = [path for path, _ in NEW_MIX]
    chosen = rng.choices(paths, weights=[share for _, share in NEW_MIX], k=count)
    requests = []
    for i, path in enumerate(chosen):
        title, description = postings[i % len(postings)]
        unique = f"{description}\n\nReference number: {seed}-{i}-{rng.getrandbits(40):x}"
        requests.append((path, request_bytes(path, body_for(path, title, unique), port)))
    return requests


def repeat_traffic(count: int, port: int, postings: list[tuple[str, str]], seed: int
                   ) -> list[tuple[str, bytes]]:
    """`count` requests of posting pages: Zipf over `postings`, four endpoints a page."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, len(postings) + 1) ** ZIPF_EXPONENT
    pages = rng.choice(len(postings), size=count // len(PAGE) + 1, p=weights / weights.sum())
    return [(path, request_bytes(path, body_for(path, *postings[page]), port))
            for page in pages for path in PAGE][:count]


TRAFFIC = {"new": new_traffic, "repeat": repeat_traffic}


def request_bytes(path: str, body: dict, port: int) -> bytes:
    payload = json.dumps(body).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
            ).encode() + payload


@dataclass
class Outcome:
    scheduled: float
    path: str
    latency: float | None = None  # seconds from the scheduled time; None: failed
    status: int = 0


@dataclass
class Generator:
    port: int
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)

    async def _exchange(self, message: bytes) -> int:
        reader, writer = (self.idle.pop() if self.idle
                          else await asyncio.open_connection("127.0.0.1", self.port))
        try:
            writer.write(message)
            head = await reader.readuntil(b"\r\n\r\n")
            length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")]
            await reader.readexactly(length[0] if length else 0)
        except BaseException:
            writer.close()
            raise
        self.idle.append((reader, writer))
        return int(head.split(b" ", 2)[1])

    async def _one(self, outcome: Outcome, message: bytes,
                   connections: asyncio.Semaphore) -> None:
        await asyncio.sleep(max(0.0, outcome.scheduled - time.perf_counter()))
        try:
            async with connections:  # waiting for one counts: the clock started at schedule
                outcome.status = await asyncio.wait_for(self._exchange(message),
                                                        TIMEOUT_SECONDS)
            outcome.latency = time.perf_counter() - outcome.scheduled
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            outcome.latency = None

    async def run(self, rate: float, requests: list[tuple[str, bytes]]) -> list[Outcome]:
        """`requests` in order, `rate` a second, evenly spaced."""
        connections = asyncio.Semaphore(MAX_CONNECTIONS)
        start = time.perf_counter() + 0.2
        outcomes, tasks = [], []
        for i, (path, message) in enumerate(requests):
            outcome = Outcome(start + i / rate, path)
            outcomes.append(outcome)
            tasks.append(asyncio.ensure_future(self._one(outcome, message, connections)))
        await asyncio.gather(*tasks)
        return outcomes


def summary(outcomes: list[Outcome], offered: float, seconds: float) -> dict:
    served = [o for o in outcomes if o.latency is not None and 200 <= o.status < 300]
    ms = np.asarray([o.latency for o in served]) * 1000 if served else np.asarray([np.nan])
    last = max((o.scheduled + (o.latency or 0) for o in served), default=0)
    first = min(o.scheduled for o in outcomes)
    return {"offered_rps": offered, "achieved_rps": round(len(served) / max(last - first,
                                                                              seconds), 1),
            "p50_ms": float(np.percentile(ms, 50)), "p90_ms": float(np.percentile(ms, 90)),
            "p99_ms": float(np.percentile(ms, 99)), "max_ms": float(ms.max()),
            "errors": len(outcomes) - len(served)}


def saturation(rows: list[dict]) -> dict[str, float]:
    """Per shape, the highest offered rate served in full (achieved within 5%, no errors,
    p99 under a second)."""
    kept: dict[str, float] = {}
    for row in rows:
        if (row["errors"] == 0 and row["achieved_rps"] >= 0.95 * row["offered_rps"]
                and row["p99_ms"] < 1000):
            kept[row["shape"]] = max(kept.get(row["shape"], 0.0), row["offered_rps"])
    return kept


def switch_bundle(store_dir: Path) -> None:
    """A new bundle with the live one's components, promoted: what a retrain does."""
    from runtime.bundles import BundleStore, read_manifest

    store = BundleStore(store_dir)
    live = store.live()
    assert live is not None
    staging = store.begin()
    for component in live.iterdir():
        if component.is_dir():
            shutil.copytree(component, staging / component.name)
    store.promote(store.commit(staging, read_manifest(live).components))


def soak(generator: Generator, postings: list[tuple[str, str]], rate: float, minutes: int,
         switch_every: int, store_dir: Path, server_pid: int) -> list[dict]:
    """Minute by minute at `rate` (every posting new), the live bundle switched every
    `switch_every` minutes."""
    rows = []
    for minute in range(1, minutes + 1):
        requests = new_traffic(int(rate * 60), generator.port, postings, seed=minute)
        outcomes = asyncio.run(generator.run(rate, requests))
        generator.idle.clear()
        if minute % switch_every == 0:
            switch_bundle(store_dir)
        workers = worker_pids(server_pid)
        row = {"minute": minute, **summary(outcomes, rate, 60),
               "rss_mb": round(sum(rss_mb(pid) for pid in workers), 1),
               "open_fds": sum(open_fds(pid) for pid in workers)}
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def soak_plot(rows: list[dict], title: str, path: Path) -> None:
    """p99, workers' RSS and open descriptors, minute by minute."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    minutes = [row["minute"] for row in rows]
    figure, axes = plt.subplots(3, 1, figsize=(8, 7), sharex=True)
    for axis, key, label in zip(axes, ("p99_ms", "rss_mb", "open_fds"),
                                ("p99 (ms)", "RSS, all workers (MB)", "open descriptors"),
                                strict=True):
        axis.plot(minutes, [row[key] for row in rows], marker="o")
        axis.set_ylabel(label)
        axis.set_ylim(bottom=0)
    axes[-1].set_xlabel("minute")
    axes[0].set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path("models"), help="a bundle store")
    parser.add_argument("--shapes", nargs="+", choices=sorted(TRAFFIC), default=["new", "repeat"])
    parser.add_argument("--rates", type=float, nargs="+", default=[100, 200, 300, 600, 1000])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--soak-minutes", type=int, default=0)
    parser.add_argument("--switch-every", type=int, default=5, help="minutes, in a soak")
    parser.add_argument("--out", type=Path, default=Path("bench/results/open_loop"))
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as workdir:
        store = Path(workdir) / "models"
        shutil.copytree(args.store, store)  # a soak switches bundles: never in the original
        env = {**os.environ, "CAREERPATH_FEEDBACK_URL": f"sqlite:///{workdir}/feedback.db"}
        with (Path(workdir) / "server.log").open("w") as log:
            server = subprocess.Popen([sys.executable, "-m", "careerpath.cli", "serve",
                                       "--store", str(store), "--port", str(port),
                                       "--workers", str(args.workers)], env=env, stderr=log)
        try:
            wait_ready(base, server)
            postings = real_postings()
            generator = Generator(port)
            asyncio.run(generator.run(50, new_traffic(150, port, postings, seed=-1)))  # warm up
            generator.idle.clear()
            if args.soak_minutes:
                rows = soak(generator, postings, args.rates[0], args.soak_minutes,
                            args.switch_every, store, server.pid)
                title = (f"Soak at {args.rates[0]:g} requests/s, bundle switch every "
                         f"{args.switch_every} minutes")
                save(rows, title, args.out.with_name("soak"), "minute", ["p50_ms", "p99_ms"])
                soak_plot(rows, title, args.out.with_name("soak.png"))
                return
            rows = []
            for seed, (shape, rate) in enumerate((shape, rate) for shape in args.shapes
                                                 for rate in args.rates):
                requests = TRAFFIC[shape](int(rate * args.seconds), port, postings, seed)
                outcomes = asyncio.run(generator.run(rate, requests))
                rows.append({"shape": shape, "load": f"{shape} {rate:g}/s",
                             **summary(outcomes, rate, args.seconds)})
                generator.idle.clear()
                print(json.dumps(rows[-1]), flush=True)
        finally:
            server.terminate()
            server.wait(10)
    print("saturation (requests/s served in full):", json.dumps(saturation(rows)))
    save(rows, f"Open-loop load, {args.workers} workers: new postings (60% recommend, 40% "
         "tags) and repeated posting pages (Zipf; recommend, tags, skills, path)",
         args.out, "load", ["p50_ms", "p90_ms", "p99_ms"])


if __name__ == "__main__":
    main()
