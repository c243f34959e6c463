"""Job posting sources: Indeed-style TSV (`tags`, `description`), Glassdoor CSVs, unlabeled
TSV/JSONL, ESCO occupation profiles and O*NET task statements (as extra in-domain text), and a
SQL database that stores tags one row per (job, tag)."""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipelines.records import Job
from pipelines.report import ImportReport
from pipelines.text import repair_mojibake

csv.field_size_limit(sys.maxsize)

SQL_SCHEMES = ("sqlite", "postgresql", "postgres", "mysql")


def content_id(text: str) -> str:
    """A stable id for postings that come without one."""
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:16]


def is_sql_url(source: str) -> bool:
    return source.split(":", 1)[0].split("+", 1)[0] in SQL_SCHEMES and "://" in source


def read_jobs(source: str | Path, *, dedupe: bool = True) -> tuple[list[Job], ImportReport]:
    """Jobs from any supported source, format told by its name and header."""
    source = str(source)
    if is_sql_url(source):
        return SqlJobSource(source).read()
    path = Path(source)
    report = ImportReport(source=source)
    jobs: dict[str, Job] = {}
    for raw in _raw_jobs(path, report):
        report.rows_read += 1
        try:
            job = _validated(raw)
        except (ValidationError, ValueError) as error:
            report.note("skipped_invalid", f"{error.__class__.__name__}: {str(raw)[:120]}")
            continue
        if not job.description.strip():
            report.note("skipped_empty_description", str(raw)[:120])
            continue
        if job.id in jobs and dedupe:
            report.note("skipped_duplicate", job.id)
            continue
        jobs[job.id] = job
    report.records_written = len(jobs)
    return list(jobs.values()), report


def _validated(raw: dict[str, object]) -> Job:
    text = repair_mojibake(str(raw.get("description") or ""))
    raw = {**raw, "description": text, "title": repair_mojibake(str(raw.get("title") or ""))}
    if not raw.get("id"):
        raw["id"] = content_id(f"{raw['title']}\n{text}")
    return Job.model_validate(raw)


def _raw_jobs(path: Path, report: ImportReport) -> Iterator[dict[str, object]]:
    if path.suffix in (".jsonl", ".json"):
        yield from _jsonl_jobs(path, report)
    elif path.suffix == ".tsv":
        yield from _tsv_jobs(path)
    elif path.suffix == ".txt":
        yield from _onet_tasks(path)
    else:
        yield from _csv_jobs(path)


def _tsv_jobs(path: Path) -> Iterator[dict[str, object]]:
    """Indeed-style TSV: `description` and, when labeled, space-separated `tags`."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            job: dict[str, object] = {"description": row.get("description") or ""}
            if "tags" in row:
                job["tags"] = (row["tags"] or "").split()
            yield job


def _csv_jobs(path: Path) -> Iterator[dict[str, object]]:
    """Glassdoor CSV (`Job_title`, `Job_Desc`) or a generic CSV in the canonical fields."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            if "Job_Desc" in row:
                yield {"title": row.get("Job_title", ""), "description": row["Job_Desc"]}
            else:
                job: dict[str, object] = {
                    "id": row.get("id", ""),
                    "title": row.get("title", ""),
                    "description": row.get("description", ""),
                }
                if row.get("tags") is not None:
                    job["tags"] = row["tags"].split()
                yield job


def _jsonl_jobs(path: Path, report: ImportReport) -> Iterator[dict[str, object]]:
    """Canonical jobs, plain `{title, description}` or `{text}` lines, or ESCO profiles."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                report.rows_read += 1
                report.note("skipped_bad_json", f"line {number}: {line[:100]}")
                continue
            if "occupation_description" in row:
                yield _esco_job(row)
            else:
                yield {
                    "id": str(row.get("id") or ""),
                    "title": row.get("title") or "",
                    "description": row.get("description") or row.get("text") or "",
                    **({"tags": row["tags"]} if row.get("tags") is not None else {}),
                }


def _esco_job(row: dict[str, object]) -> dict[str, object]:
    keys = ("essential_skills", "optional_skills", "alternative_names")
    skills = " ".join(_as_text(row.get(key)) for key in keys)
    return {
        "id": str(row.get("occupation_uri", "")).rsplit("/", 1)[-1],
        "title": str(row.get("occupation_name", "")).strip(),
        "description": f"{row.get('occupation_description', '')}\n{skills}",
    }


def _as_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    text = str(value or "")
    return text.strip("[]").replace("'", "")


def _onet_tasks(path: Path) -> Iterator[dict[str, object]]:
    """O*NET `Task Statements.txt`: one job-like text per occupation, its tasks joined."""
    tasks: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            code = row.get("O*NET-SOC Code")
            if code and row.get("Task"):
                tasks.setdefault(code, []).append(row["Task"])
    for code, lines in tasks.items():
        yield {"id": f"onet-{code}", "description": "\n".join(lines)}


class SqlJobSource:
    """Jobs from a database where tags are stored one row per (job, tag), as the original tag
    classifier's database did; each job comes out once with all its tags."""

    def __init__(
        self,
        url: str,
        *,
        jobs_table: str = "jobs",
        tags_table: str = "job_tags",
    ) -> None:
        self.url = url
        self.jobs_table = jobs_table
        self.tags_table = tags_table

    def read(self) -> tuple[list[Job], ImportReport]:
        from sqlalchemy import MetaData, Table, create_engine, select

        engine = create_engine(self.url)
        report = ImportReport(source=self._safe_url())
        try:
            metadata = MetaData()
            jobs = Table(self.jobs_table, metadata, autoload_with=engine)
            tags = Table(self.tags_table, metadata, autoload_with=engine)
            query = (
                select(jobs.c.id, jobs.c.title, jobs.c.description, tags.c.tag)
                .select_from(jobs.outerjoin(tags, tags.c.job_id == jobs.c.id))
                .order_by(jobs.c.id, tags.c.tag)
            )
            with engine.connect() as connection:
                rows = connection.execute(query).all()
        finally:
            engine.dispose()
        grouped: dict[str, dict[str, Any]] = {}
        for job_id, title, description, tag in rows:
            job = grouped.setdefault(
                str(job_id),
                {"id": str(job_id), "title": title or "", "description": description or "",
                 "tags": []},
            )
            if tag:
                job["tags"].append(tag)
        result = []
        for raw in grouped.values():
            report.rows_read += 1
            if not str(raw["description"]).strip():
                report.note("skipped_empty_description", str(raw["id"]))
                continue
            result.append(_validated(raw))
        report.records_written = len(result)
        return result, report

    def _safe_url(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def write_jobs(jobs: list[Job], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for job in jobs:
            handle.write(job.model_dump_json(exclude_none=True) + "\n")
