"""Batch predictions for job boards: JSONL postings in, one JSONL result per posting out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from service.errors import NotEnglishError
from service.language import LanguageGuard


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
                record["id"] = job.get("id", number)
                description = job.get("description") or ""
                if not description.strip():
                    raise ValueError("empty description")
                language.check(job.get("title") or "", description)
                record.update(predict(job.get("title") or "", description))
            except (ValueError, NotEnglishError) as error:  # ValueError: bad JSON, unknown words
                failures += 1
                record.update(empty, error=str(error))
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return failures
