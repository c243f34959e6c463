"""Helpers shared by the benchmarks: postings of a fixed length, percentiles, tables, plots."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def postings(n: int = 200, chars: int = 1500) -> list[tuple[str, str]]:
    """Real postings cut to `chars` characters (the benchmark's standard size)."""
    from pipelines.jobs import read_jobs

    jobs = read_jobs(SHARED / "jobs" / "indeed_tags_dev.tsv")[0]
    long = [job for job in jobs if len(job.description) >= chars]
    return [(job.title, job.description[:chars]) for job in long[:n]]


T = TypeVar("T")


def timed(call: Callable[[T], object], items: Sequence[T]) -> list[float]:
    """Seconds per call on each item, after five warm-up calls."""
    for item in items[:5]:
        call(item)
    seconds = []
    for item in items:
        started = time.perf_counter()
        call(item)
        seconds.append(time.perf_counter() - started)
    return seconds


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "mean_ms": float(ms.mean())}


def table(rows: list[dict], title: str, digits: int = 2) -> str:
    columns = list(rows[0])
    lines = [f"## {title}", "", "| " + " | ".join(columns) + " |",
             "|---" * len(columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(f"{v:.{digits}f}" if isinstance(v, float) else str(v)
                                        for v in row.values()) + " |")
    return "\n".join(lines)


def save(rows: list[dict], title: str, out: Path, x: str, ys: Sequence[str],
         ylabel: str = "ms", digits: int = 2) -> None:
    """Print the table and write it (Markdown + JSON) with a bar chart of the rows whose `ys`
    are numbers (a summary row of text is left out of the chart)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    text = table(rows, title, digits)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text(text + "\n")
    out.with_suffix(".json").write_text(json.dumps(rows, indent=2))
    rows = [row for row in rows if all(isinstance(row[y], int | float) for y in ys)]
    figure, axes = plt.subplots(figsize=(8, 4))
    positions = np.arange(len(rows))
    width = 0.8 / len(ys)
    for i, y in enumerate(ys):
        axes.bar(positions + i * width, [row[y] for row in rows], width, label=y)
    axes.set_xticks(positions + 0.4 - width / 2, [str(row[x]) for row in rows])
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.legend()
    figure.tight_layout()
    figure.savefig(out.with_suffix(".png"), dpi=110)
    plt.close(figure)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def open_fds(pid: int) -> int:
    return sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir())


def worker_pids(parent: int) -> list[int]:
    """uvicorn's worker processes (not multiprocessing's resource tracker); the server
    process itself when it runs the only worker."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return sorted(int(pid) for pid in children
                  if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()) or [parent]


def wait_ready(base: str, server: subprocess.Popen) -> float:
    import httpx

    started = time.monotonic()
    while server.poll() is None:
        try:
            if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    sys.exit(f"the server exited ({server.returncode}) before it was ready")
