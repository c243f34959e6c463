"""`careerpath import` and `careerpath fetch`: catalogs and job sources to canonical JSONL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careerpath.commands.common import Commands, command, print_report


def import_courses(args: argparse.Namespace) -> int:
    from pipelines.courses import read_courses, write_jsonl

    courses, report = read_courses(args.file, args.format)
    write_jsonl(courses, args.out)
    print_report(report, args.report)
    return 0


def import_jobs(args: argparse.Namespace) -> int:
    from pipelines.jobs import read_jobs, write_jobs

    jobs, report = read_jobs(args.source)
    write_jobs(jobs, args.out)
    print_report(report, args.report)
    return 0


def fetch_courses(args: argparse.Namespace) -> int:
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


def add(commands: Commands) -> None:
    importer = command(commands, "import", "convert a course catalog or a job source to JSONL")
    kinds = importer.add_subparsers(dest="kind", required=True, metavar="KIND")
    courses = command(kinds, "courses", "a course catalog file -> canonical courses",
                      import_courses)
    courses.add_argument("file", type=Path, help="Coursera 2021, edX, coureco, CSV or JSONL")
    courses.add_argument("--format", choices=("coursera2021", "edx", "coureco", "csv", "jsonl"),
                         help="default: told by the file's name and header")
    jobs = command(kinds, "jobs", "a job source (file or SQL URL) -> canonical jobs",
                   import_jobs)
    jobs.add_argument("source", help="a TSV, CSV, JSONL or O*NET file, or a SQL URL")
    for parser in (courses, jobs):
        parser.add_argument("--out", type=Path, required=True, help="JSONL to write")
        parser.add_argument("--report", type=Path, help="also write the import report as JSON")

    fetch = command(commands, "fetch", "download a catalog through its public API")
    sources = fetch.add_subparsers(dest="kind", required=True, metavar="KIND")
    coursera = command(sources, "courses", "the Coursera catalog (needs internet)",
                       fetch_courses)
    coursera.add_argument("--out", type=Path, required=True, help="JSONL to write")
    coursera.add_argument("--page-size", type=int, default=100, help="courses per request")
    coursera.add_argument("--interval", type=float, default=0.5,
                          help="seconds between requests")
    coursera.add_argument("--restart", action="store_true",
                          help="ignore a previous partial run instead of resuming it")
