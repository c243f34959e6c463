"""Course catalog importers: the Coursera 2021, edX 2021 and Coursera 'coureco' CSVs, and a
generic CSV/JSONL in the canonical fields. Every row is written, merged, repaired or skipped
with a reason in the report; a bad row never stops an import."""

from __future__ import annotations

import ast
import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from pipelines.records import Course, Level
from pipelines.report import ImportReport
from pipelines.text import clean, repair_mojibake

csv.field_size_limit(sys.maxsize)

Row = dict[str, str]
FORMATS = ("coursera2021", "edx", "coureco", "csv", "jsonl")

_LEVELS: dict[str, Level | None] = {
    "beginner": "beginner",
    "introductory": "beginner",
    "intermediate": "intermediate",
    "conversant": "intermediate",
    "advanced": "advanced",
    "mixed": "mixed",
    "not calibrated": None,
    "": None,
}
_LANGUAGES = {
    "english": "en", "español": "es", "spanish": "es", "français": "fr", "french": "fr",
    "italiano": "it", "中文": "zh", "chinese": "zh", "deutsch": "de", "português": "pt",
    "русский": "ru", "日本語": "ja", "العربية": "ar", "اللغة العربية": "ar", "한국어": "ko",
    "türkçe": "tr",
}
_MISSING = {"", "na", "n/a", "missing", "none", "null"}


def detect_format(path: Path) -> str:
    if path.suffix in (".jsonl", ".json"):
        return "jsonl"
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        header = set(next(csv.reader(handle), []))
    if {"Course_Name", "Course _URL"} <= header:
        return "coursera2021"
    if {"course_url", "summary", "course_description"} <= header:
        return "edx"
    if {"course_url", "course_name", "skills"} <= header:
        return "coureco"
    if {"id", "title"} <= header:
        return "csv"
    raise ValueError(f"cannot tell the catalog format of {path}; pass --format (one of {FORMATS})")


def url_id(url: str) -> str:
    """A course's stable id: the last segment of its URL."""
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


def normalize_level(raw: str, report: ImportReport) -> Level | None:
    key = raw.strip().lower()
    if key not in _LEVELS:
        report.note("level_unknown_dropped", raw)
        return None
    level = _LEVELS[key]
    if key and level != key:
        report.note("level_normalized", f"{raw} -> {level}")
    return level


def normalize_language(raw: str, report: ImportReport) -> str:
    key = raw.strip().lower()
    if not key:
        return "en"
    if len(key) == 2:
        return key
    if key not in _LANGUAGES:
        report.note("language_unknown_kept", raw)
        return key
    return _LANGUAGES[key]


def _present(value: str) -> str:
    """Source files spell an empty cell as 'NA' or 'Missing'."""
    return "" if value.strip().lower() in _MISSING else value


def _repaired(value: str, field: str, report: ImportReport) -> str:
    fixed = repair_mojibake(value)
    if fixed != value:
        report.note(f"mojibake_repaired_{field}", value)
    return fixed


def _coursera_skills(cell: str) -> list[str]:
    """Skills are separated by two spaces; the cell ends with a domain and subdomain slug."""
    parts = [p.strip() for p in cell.split("  ") if p.strip()]
    if parts:
        last = parts.pop().split()[:-2]
        if last:
            parts.append(" ".join(last))
    return parts


def _list_cell(cell: str) -> list[str]:
    cell = cell.strip()
    if cell.startswith("["):
        try:
            return [str(s).strip() for s in ast.literal_eval(cell) if str(s).strip()]
        except (ValueError, SyntaxError):
            pass
    return [s.strip() for s in cell.split(";") if s.strip()]


def _from_coursera2021(row: Row, report: ImportReport) -> dict[str, object]:
    return {
        "id": url_id(row["Course _URL"]),
        "title": _repaired(row["Course_Name"], "title", report),
        "description": clean(_repaired(row["Course_Description"], "description", report)),
        "provider": _repaired(row["University"], "provider", report).strip(),
        "level": normalize_level(row["Difficulty_Level"], report),
        "url": row["Course _URL"].strip(),
        "skills": _coursera_skills(_repaired(row["Skills"], "skills", report)),
        "language": "en",
    }


def _from_edx(row: Row, report: ImportReport) -> dict[str, object]:
    parts = (row["summary"], row["course_description"], row["course_syllabus"])
    description = " ".join(_present(part) for part in parts if _present(part))
    return {
        "id": url_id(row["course_url"]),
        "title": row["title"],
        "description": clean(description),
        "provider": row["institution"].strip(),
        "level": normalize_level(row["Level"], report),
        "url": row["course_url"].strip(),
        "skills": [row["subject"].strip()] if row["subject"].strip() else [],
        "language": normalize_language(row["language"], report),
    }


def _from_coureco(row: Row, report: ImportReport) -> dict[str, object]:
    return {
        "id": url_id(row["course_url"]),
        "title": row["course_name"],
        "description": clean(_present(row["description"])),
        "provider": row["course_provided_by"].strip(),
        "level": normalize_level(row["course_difficulty"], report),
        "url": row["course_url"].strip(),
        "skills": _list_cell(row["skills"]),
        "language": "en",
    }


def _from_generic(row: dict[str, object], report: ImportReport) -> dict[str, object]:
    record = {key: value for key, value in row.items() if key in Course.model_fields}
    for key in set(row) - set(Course.model_fields):
        report.note("unknown_field_ignored", key)
    if isinstance(record.get("skills"), str):
        record["skills"] = _list_cell(str(record["skills"]))
    if isinstance(record.get("level"), str):
        record["level"] = normalize_level(str(record["level"]), report)
    if isinstance(record.get("language"), str):
        record["language"] = normalize_language(str(record["language"]), report)
    if isinstance(record.get("description"), str):
        record["description"] = clean(repair_mojibake(str(record["description"])))
    if not record.get("id") and record.get("url"):
        record["id"] = url_id(str(record["url"]))
    return record


_CONVERTERS: dict[str, Callable[..., dict[str, object]]] = {
    "coursera2021": _from_coursera2021,
    "edx": _from_edx,
    "coureco": _from_coureco,
    "csv": _from_generic,
    "jsonl": _from_generic,
}


def _rows(path: Path, fmt: str, report: ImportReport) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        if fmt != "jsonl":
            yield from csv.DictReader(handle)
            return
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                report.note("skipped_bad_json", f"line {number}: {error}")
                report.rows_read += 1
                continue
            if not isinstance(row, dict):
                report.note("skipped_not_an_object", f"line {number}")
                report.rows_read += 1
                continue
            yield row


def _merge(kept: Course, duplicate: Course) -> Course:
    """Duplicate ids are one course: keep the richer description and the union of skills."""
    skills = list(dict.fromkeys([*kept.skills, *duplicate.skills]))
    richer = duplicate if len(duplicate.description) > len(kept.description) else kept
    return richer.model_copy(update={"skills": skills})


def read_courses(path: Path, fmt: str | None = None) -> tuple[list[Course], ImportReport]:
    """Canonical courses of a catalog file, unique by id, with the report of what happened."""
    fmt = fmt or detect_format(path)
    if fmt not in _CONVERTERS:
        raise ValueError(f"unknown catalog format {fmt!r}; use one of {FORMATS}")
    report = ImportReport(source=f"{path} ({fmt})")
    convert = _CONVERTERS[fmt]
    courses: dict[str, Course] = {}
    for row in _rows(path, fmt, report):
        report.rows_read += 1
        example = json.dumps(row, ensure_ascii=False)[:160]
        try:
            course = Course.model_validate(convert(row, report))
        except (ValidationError, KeyError, TypeError, AttributeError) as error:
            report.note("skipped_invalid", f"{_first_error(error)}: {example}")
            continue
        if len(course.description.split()) < 3:
            report.note("short_description_kept", f"{course.id}: {course.description!r}")
        if course.id in courses:
            report.note("merged_duplicate_id", course.id)
            courses[course.id] = _merge(courses[course.id], course)
        else:
            courses[course.id] = course
    report.records_written = len(courses)
    return list(courses.values()), report


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
    return f"{type(error).__name__}: {error}"


def write_jsonl(records: Iterable[Course], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record.model_dump_json() + "\n")
            count += 1
    return count


def load_catalog(path: Path) -> list[Course]:
    """Read a canonical catalog JSONL (what `careerpath import courses` writes)."""
    with path.open(encoding="utf-8") as handle:
        return [Course.model_validate_json(line) for line in handle if line.strip()]
