"""Batch predictions for job boards: JSONL postings in, one JSONL result per posting out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from service.errors import NotEnglishError, field_errors, summarize
from service.language import LanguageGuard
from service.schemas import JobPosting


def predict_jsonl(input_path: Path, out: IO[str], predict: Callable[[str, str], dict[str, Any]],
                  empty: dict[str, Any]) -> int:
    """Write `{"id", **predict(title, description)}` per input line. A line that cannot be
    scored (bad JSON, empty or unreadable text, a posting clearly not in English, as the service
    answers it) gets `{"id", **empty, "error"}` instead and counts as a failure; the run goes
    on. Returns the number of failures."""
    failures = 0
    language = LanguageGuard()
    with input_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            record: dict[str, Any] = {"id": number}
            try:
                job = json.loads(line)
                if not isinstance(job, dict):
                    raise ValueError("the line is not a JSON object")
                record["id"] = job.get("id", number)
                posting = _posting(job)
                language.check(posting.title, posting.description)
                record.update(predict(posting.title, posting.description))
            except (ValueError, NotEnglishError) as error:  # ValueError: bad JSON, unknown words
                failures += 1
                record.update(empty, error=str(error))
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return failures


def _posting(job: dict[str, Any]) -> JobPosting:
    """The line's posting, checked by the same schema as the service's request bodies."""
    try:
        return JobPosting(title=job.get("title") or "", description=job.get("description") or "")
    except ValidationError as error:
        raise ValueError(summarize(field_errors(error.errors()))) from None
