"""HTTP load on loopback: `careerpath serve` with 2 workers; 8 concurrent connections (half on
/recommend, half on /tags) sending 1,500-character postings for a fixed time; latency per
endpoint, throughput, errors, time to ready and resident memory per worker.

The load comes from wrk (Debian package `wrk`), a C client in its own processes: a Python
client on the same 2 cores spends as much CPU per request as the server and would measure
itself.

    python -m bench.service_load --store models [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import free_port, postings, rss_mb, save, wait_ready, worker_pids

# Cycles through the bodies file given after `--`; reports latency percentiles as JSON.
WRK_SCRIPT = """
local bodies, n = {}, 0
function init(args)
  for line in io.lines(args[1]) do table.insert(bodies, line) end
end
function request()
  n = n % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[n])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "mean_ms": %f, ' ..
    '"errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.mean / 1e3,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _load(base: str, connections: int, seconds: int, workdir: Path,
          workers: list[int]) -> list[dict]:
    """Both endpoints at once, each from its own wrk process; one result row per endpoint,
    with how its connections landed on the workers (e.g. "3+1")."""
    script = workdir / "post.lua"
    script.write_text(WRK_SCRIPT)
    bodies = workdir / "bodies.jsonl"
    bodies.write_text("".join(json.dumps({"title": t, "description": d}) + "\n"
                              for t, d in postings(100)))
    runs = {path: subprocess.Popen(
        ["wrk", "-t1", f"-c{connections // 2}", f"-d{seconds}s", "-s", str(script),
         f"{base}{path}", "--", str(bodies)], stdout=subprocess.PIPE, text=True)
        for path in ("/recommend", "/tags")}
    time.sleep(min(2, seconds / 2))
    landed = {path: _connections_per_worker(run.pid, workers) for path, run in runs.items()}
    rows = []
    for path, run in runs.items():
        output, _ = run.communicate()
        rows.append({"endpoint": path, **json.loads(output.strip().splitlines()[-1]),
                     "connections per worker": "+".join(map(str, landed[path]))})
    return rows


def _connections_per_worker(client: int, workers: list[int]) -> list[int]:
    """How many of the client process's TCP connections each worker process holds: uvicorn's
    workers race to accept, and where the connections land shapes the latencies."""
    ports_by_inode, peers_by_inode = {}, {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            ports_by_inode[fields[9]] = int(fields[1].rsplit(":", 1)[1], 16)
            peers_by_inode[fields[9]] = int(fields[2].rsplit(":", 1)[1], 16)
    client_ports = {ports_by_inode[inode] for inode in _socket_inodes(client)
                    if inode in ports_by_inode}
    return [sum(peers_by_inode.get(inode) in client_ports for inode in _socket_inodes(worker))
            for worker in workers]


def _socket_inodes(pid: int) -> list[str]:
    links = (os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir())
    return [link[8:-1] for link in links if link.startswith("socket:[")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("reports/bench/service"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("this benchmark needs wrk: apt-get install wrk")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as workdir:
        env = {**os.environ, "CAREERPATH_FEEDBACK_URL": f"sqlite:///{workdir}/feedback.db"}
        log = Path(workdir) / "server.log"
        with log.open("w") as stderr:
            server = subprocess.Popen([sys.executable, "-m", "careerpath.cli", "serve",
                                       "--store", str(args.store), "--port", str(port),
                                       "--workers", str(args.workers)], env=env, stderr=stderr)
        try:
            ready_seconds = wait_ready(base, server)
            # one worker runs in the server process itself
            workers = worker_pids(server.pid)
            rows = _load(base, args.connections, args.seconds, Path(workdir), workers)
            if server.poll() is not None:
                sys.exit(f"the server exited ({server.returncode}) during the run:\n"
                         + "\n".join(log.read_text().splitlines()[-20:]))
            memory = [rss_mb(pid) for pid in workers]
        finally:
            server.terminate()
            server.wait(10)
    save(rows, f"HTTP latency, {args.workers} workers, {args.connections} connections",
         args.out, "endpoint", ["p50_ms", "p99_ms"])
    throughput = sum(row["requests"] / row["seconds"] for row in rows)
    errors = sum(row["errors"] for row in rows)
    print(f"\nthroughput: {throughput:.0f} requests/s; errors: {errors}; "
          f"ready after {ready_seconds:.2f} s; RSS per worker (MB): "
          f"{', '.join(f'{m:.0f}' for m in memory)}")


if __name__ == "__main__":
    main()
