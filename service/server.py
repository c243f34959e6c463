"""The service's processes: uvicorn's workers, and the files and settings they share on one
machine (metrics, token buckets, the reload lock), made fresh for each instance and removed
when it stops."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.settings import ServiceSettings

RATE_LIMIT_FILE = "CAREERPATH_RATE_LIMIT_FILE"
RELOAD_LOCK_FILE = "CAREERPATH_RELOAD_LOCK_FILE"
WORKER_HEALTHCHECK_SECONDS = 2


def serve(host: str, port: int, workers: int | None = None,
          settings: ServiceSettings | None = None) -> None:
    """Run the API under uvicorn with `workers` processes (default: the settings'), sharing
    one set of metrics, one rate-limit store and one reload lock."""
    import uvicorn

    # Parallelism comes from worker processes; threaded BLAS inside each would oversubscribe.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    settings = settings or ServiceSettings()
    workers = workers or settings.workers
    with shared_metrics(workers), instance_files(settings, workers):
        uvicorn.run("service.app:create_app", factory=True, host=host, port=port,
                    workers=workers, log_config=json_log_config(),
                    timeout_keep_alive=int(math.ceil(settings.keep_alive_seconds)),
                    # a worker killed while the supervisor pings it is replaced after this
                    # timeout: uvicorn's 5 s would leave the capacity short for longer
                    timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)


@contextmanager
def instance_files(settings: ServiceSettings, workers: int) -> Iterator[None]:
    """The files the workers of this instance share, in a fresh directory they learn of
    through the environment and removed on exit: the token buckets (with a rate limit) and
    the lock by which they take turns loading a new bundle (with several workers). A file
    configured in the environment is used as it is."""
    wanted = {RATE_LIMIT_FILE: ("buckets.db", settings.rate_limit is not None),
              RELOAD_LOCK_FILE: ("reload.lock", workers > 1)}
    made = [variable for variable, (_, needed) in wanted.items()
            if needed and not os.environ.get(variable)]
    if not made:
        yield
        return
    directory = Path(tempfile.mkdtemp(prefix="careerpath-instance-"))
    for variable in made:
        os.environ[variable] = str(directory / wanted[variable][0])
    try:
        yield
    finally:
        for variable in made:
            del os.environ[variable]
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def shared_metrics(workers: int) -> Iterator[None]:
    """With several workers, one set of metrics: each worker writes its values to files in
    PROMETHEUS_MULTIPROC_DIR and a scrape adds them up (service/metrics.py). The directory
    must start empty; one made here is removed on exit."""
    from service.metrics import MULTIPROCESS_DIR

    configured = os.environ.get(MULTIPROCESS_DIR)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    if configured or workers < 2:
        yield
        return
    directory = Path(tempfile.mkdtemp(prefix="careerpath-metrics-"))
    os.environ[MULTIPROCESS_DIR] = str(directory)  # before the workers start: they inherit it
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIR]
        shutil.rmtree(directory, ignore_errors=True)


def json_log_config() -> dict:
    """Structured logs: one JSON object per line, for uvicorn and the service alike."""
    formatter = {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    handler = {"class": "logging.StreamHandler", "formatter": "json",
               "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": formatter},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "careerpath": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }
