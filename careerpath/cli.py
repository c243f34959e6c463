"""The `careerpath` command line. Heavy libraries are imported inside the subcommands that need
them, so `careerpath --help` and `careerpath serve` start fast."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

Handler = Callable[[argparse.Namespace], int]


def _import_courses(args: argparse.Namespace) -> int:
    from pipelines.courses import read_courses, write_jsonl

    courses, report = read_courses(args.file, args.format)
    write_jsonl(courses, args.out)
    _print_report(report, args.report)
    return 0


def _import_jobs(args: argparse.Namespace) -> int:
    from pipelines.jobs import read_jobs, write_jobs

    jobs, report = read_jobs(args.source)
    write_jobs(jobs, args.out)
    _print_report(report, args.report)
    return 0


def _print_report(report: object, path: Path | None) -> None:
    print(report.summary(), file=sys.stderr)  # type: ignore[attr-defined]
    if path:
        path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))  # type: ignore[attr-defined]


def _fetch_courses(args: argparse.Namespace) -> int:
    from pipelines.coursera_api import CatalogAPIError, CourseraCatalogClient

    client = CourseraCatalogClient(page_size=args.page_size, min_interval_seconds=args.interval)
    try:
        result = client.fetch(args.out, resume=not args.restart)
    except CatalogAPIError as error:
        print(f"careerpath fetch: {error}; run again to resume where it stopped", file=sys.stderr)
        return 1
    print(f"wrote {result.written} courses from {result.pages} pages ({result.retries} retries)")
    print(result.report.summary(), file=sys.stderr)
    return 0


def _train(args: argparse.Namespace) -> int:
    from training import train_cli

    return train_cli.run(args)


def _predict(args: argparse.Namespace) -> int:
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        if args.what == "recommend":
            from training.recommender_cli import predict

            failures = predict(args.bundle, args.input, args.k, out)
        else:
            from training.tags_cli import predict_tags

            failures = predict_tags(args.bundle, args.input, out)
    finally:
        if args.out:
            out.close()
    if failures:
        print(f"{failures} postings could not be scored (see their 'error')", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    if args.what == "recommend":
        from training.recommender_cli import evaluate

        evaluate(args.bundle, args.judgments, args.seed_labels, args.report_dir)
    else:
        from training.tags_cli import evaluate_tags

        evaluate_tags(args.bundle, args.jobs, args.report_dir)
    return 0


def _tune(args: argparse.Namespace) -> int:
    from training.recommender_cli import tune

    best = tune(args.courses, args.corpus, args.judgments, args.out)
    print(json.dumps(best, indent=2))
    return 0


def _retrain(args: argparse.Namespace) -> int:
    import time

    from careerpath.settings import Settings
    from training import retrain

    overrides = {"model_dir": args.model_dir, "feedback_url": args.feedback_url}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    while True:
        code = retrain.main(settings, args.judgments, args.tolerance, args.keep, args.courses)
        if not args.every:
            return code
        time.sleep(parse_interval(args.every))


def parse_interval(text: str) -> float:
    """'90s', '15m', '1h', '1d' -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if not text or text[-1] not in units or not text[:-1].replace(".", "", 1).isdigit():
        raise ValueError(f"interval {text!r}: use a number with s, m, h or d (e.g. 1h)")
    return float(text[:-1]) * units[text[-1]]


def _rollback(args: argparse.Namespace) -> int:
    from careerpath.bundles import BundleStore
    from careerpath.settings import Settings
    from training.retrain import rollback

    store = BundleStore(args.model_dir or Settings().model_dir)
    print(f"bundle {rollback(store).name} is live again")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from careerpath.settings import Settings

    if args.bundle is not None:
        os.environ["CAREERPATH_MODEL_DIR"] = str(args.bundle)  # workers read the environment
    # Parallelism comes from worker processes; threaded BLAS inside each would oversubscribe.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    settings = Settings()
    workers = args.workers or settings.workers
    with shared_metrics(workers):
        uvicorn.run("service.app:create_app", factory=True, host=args.host, port=args.port,
                    workers=workers, log_config=json_log_config())
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careerpath", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    importer = commands.add_parser("import", help="convert a catalog or job source to JSONL")
    kinds = importer.add_subparsers(dest="kind", required=True)
    courses = kinds.add_parser("courses", help="a course catalog file -> canonical courses")
    courses.add_argument("file", type=Path)
    courses.add_argument("--format", choices=("coursera2021", "edx", "coureco", "csv", "jsonl"))
    courses.add_argument("--out", type=Path, required=True)
    courses.add_argument("--report", type=Path, help="also write the report as JSON here")
    courses.set_defaults(handler=_import_courses)
    jobs = kinds.add_parser("jobs", help="a job source (file or SQL URL) -> canonical jobs")
    jobs.add_argument("source")
    jobs.add_argument("--out", type=Path, required=True)
    jobs.add_argument("--report", type=Path)
    jobs.set_defaults(handler=_import_jobs)

    fetch = commands.add_parser("fetch", help="download the Coursera catalog through its API")
    fetch.add_argument("what", choices=("courses",))
    fetch.add_argument("--out", type=Path, required=True)
    fetch.add_argument("--page-size", type=int, default=100)
    fetch.add_argument("--interval", type=float, default=0.5, help="seconds between requests")
    fetch.add_argument("--restart", action="store_true", help="ignore a previous partial run")
    fetch.set_defaults(handler=_fetch_courses)

    train = commands.add_parser("train", help="train models into a new bundle of a store")
    train.add_argument("what", nargs="?", choices=("all", "recommender", "tags"), default="all")
    train.add_argument("--courses", type=Path, help="course catalog (recommender)")
    train.add_argument("--corpus", nargs="*", default=[],
                       help="extra in-domain text for Doc2Vec: job files, ESCO, O*NET")
    train.add_argument("--jobs", help="labeled postings (tags): file or SQL URL")
    train.add_argument("--unlabeled", nargs="*", default=[],
                       help="unlabeled postings for the autoencoder")
    train.add_argument("--config", type=Path,
                       help="recommender parameters, JSON (e.g. from `tune`)")
    train.add_argument("--tags-config", type=Path, help="tag model parameters, JSON")
    train.add_argument("--hold-out", type=float, default=0.2, metavar="FRACTION",
                       help="share of the labeled postings held out to score the tag model "
                            "(0: train on every posting, for production)")
    train.add_argument("--judgments", type=Path, help="record dev-judgment metrics")
    train.add_argument("--seed", type=int)
    train.add_argument("--out", type=Path, help="the bundle store (default: settings)")
    train.set_defaults(handler=_train)

    predict = commands.add_parser("predict", help="batch predictions, JSONL in and out")
    predict.add_argument("what", choices=("recommend", "tags"))
    predict.add_argument("--bundle", type=Path, required=True, help="a bundle or a store")
    predict.add_argument("--input", type=Path, required=True, help="JSONL {id, title, description}")
    predict.add_argument("--k", type=int, default=10)
    predict.add_argument("--out", type=Path, help="default: standard output")
    predict.set_defaults(handler=_predict)

    evaluate = commands.add_parser("evaluate", help="score a bundle beside baselines")
    evaluate.add_argument("what", choices=("recommend", "tags"))
    evaluate.add_argument("--bundle", type=Path, required=True)
    evaluate.add_argument("--judgments", type=Path, default=Path("../shared/data/judgments"))
    evaluate.add_argument("--seed-labels", type=Path, default=Path("../shared/data/seed_labels"))
    evaluate.add_argument("--jobs", help="labeled postings (tags)")
    evaluate.add_argument("--report-dir", type=Path, default=Path("reports"))
    evaluate.set_defaults(handler=_evaluate)

    tune = commands.add_parser("tune", help="hyper-parameter search on the dev judgments")
    tune.add_argument("what", choices=("recommender",))
    tune.add_argument("--courses", type=Path, required=True)
    tune.add_argument("--corpus", nargs="*", default=[])
    tune.add_argument("--judgments", type=Path, default=Path("../shared/data/judgments"))
    tune.add_argument("--out", type=Path, default=Path("recommender_config.json"))
    tune.set_defaults(handler=_tune)

    retrain = commands.add_parser("retrain", help="learn from feedback; promote if no worse")
    retrain.add_argument("--every", help="run periodically, e.g. 1h (default: once)")
    retrain.add_argument("--judgments", type=Path,
                         help="dev judgments the recommender must not get worse on")
    retrain.add_argument("--tolerance", type=float, default=0.02,
                         help="largest allowed drop of any gate metric")
    retrain.add_argument("--keep", type=int, default=5, help="bundles to keep")
    retrain.add_argument("--courses", type=Path,
                         help="an updated catalog: new courses are added, removed ones go "
                              "(a full rebuild when more than 20%% changed)")
    retrain.add_argument("--model-dir", type=Path)
    retrain.add_argument("--feedback-url")
    retrain.set_defaults(handler=_retrain)

    rollback = commands.add_parser("rollback", help="make the previous bundle live again")
    rollback.add_argument("--model-dir", type=Path)
    rollback.set_defaults(handler=_rollback)

    serve = commands.add_parser("serve", help="serve the REST API under uvicorn")
    serve.add_argument("--bundle", type=Path, help="a bundle, or a store with a LIVE pointer")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int)
    serve.set_defaults(handler=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except (ValueError, FileNotFoundError) as error:
        print(f"careerpath: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
