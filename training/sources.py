"""The training data every model reads: catalogs, corpora and labeled or unlabeled postings,
each read by the importers and reported on standard error."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipelines.courses import load_catalog, read_courses
from pipelines.jobs import read_jobs
from pipelines.records import Course, Job


def load_courses(path: Path) -> list[Course]:
    """A canonical catalog (JSONL) or any catalog file the importers read."""
    if path.suffix == ".jsonl":
        try:
            return load_catalog(path)
        except ValueError:
            pass
    courses, report = read_courses(path)
    print(report.summary(), file=sys.stderr)
    return courses


def load_corpus(paths: Iterable[Path | str]) -> list[Job]:
    corpus: list[Job] = []
    for path in paths:
        jobs, report = read_jobs(path)
        print(f"corpus {report.source}: {len(jobs)} documents", file=sys.stderr)
        corpus += jobs
    return corpus


def read_labeled(source: str | Path) -> list[Job]:
    jobs, report = read_jobs(source)
    labeled = [job for job in jobs if job.tags is not None]
    print(f"{report.source}: {len(labeled)} labeled postings", file=sys.stderr)
    if not labeled:
        raise ValueError(f"{source} has no labeled postings (a 'tags' field or column)")
    return labeled


def read_unlabeled(sources: Sequence[str | Path]) -> list[Job]:
    unlabeled: list[Job] = []
    for source in sources:
        unlabeled += read_jobs(source)[0]
    return unlabeled
