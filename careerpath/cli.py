"""The `careerpath` command line. Heavy libraries are imported inside the subcommands that need
them, so `careerpath --help` and `careerpath serve` start fast."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
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
    from pipelines.coursera_api import CourseraCatalogClient

    client = CourseraCatalogClient(page_size=args.page_size, min_interval_seconds=args.interval)
    result = client.fetch(args.out, resume=not args.restart)
    print(f"wrote {result.written} courses from {result.pages} pages ({result.retries} retries)")
    print(result.report.summary(), file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from careerpath.settings import Settings

    overrides = {"model_dir": args.bundle, "workers": args.workers}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    import os

    os.environ["CAREERPATH_MODEL_DIR"] = str(settings.model_dir)
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=settings.workers,
        log_level="info",
    )
    return 0


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
