"""Batch predictions for job boards: JSONL postings in, one JSONL result per posting out, in
the same shape the API answers with."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ValidationError

from runtime.errors import PostingError
from runtime.loaded import LoadedBundle
from runtime.schemas import summarize_errors

Answer = Callable[[dict[str, Any]], BaseModel]


def predict_jsonl(input_path: Path, out: IO[str], answer: Answer) -> int:
    """Write `{"id", **answer(line)}` per input line, `answer` validating the line as the API
    validates a request body. A line that cannot be answered (bad JSON, invalid fields, a
    posting the models refuse, as the service refuses it) gets `{"id", "error"}` instead and
    counts as a failure; the run goes on. Returns the number of failures."""
    failures = 0
    with input_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            record: dict[str, Any] = {"id": number}
            try:
                job = json.loads(line)
                if not isinstance(job, dict):
                    raise ValueError("the line is not a JSON object")
                record["id"] = job.pop("id", number)
                record.update(answer(job).model_dump(mode="json", exclude_none=True))
            except ValidationError as error:
                failures += 1
                record["error"] = summarize_errors(error.errors())
            except PostingError as error:
                failures += 1
                record.update(error=str(error), type=error.problem_type)
            except ValueError as error:  # not JSON
                failures += 1
                record["error"] = str(error)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return failures


def _posting(job: dict[str, Any]) -> dict[str, Any]:
    """A line's posting fields (an archive's other fields, such as its tags, are not ours)."""
    return {name: job[name] for name in ("title", "description") if name in job}


def recommend_answer(bundle: LoadedBundle, k: int) -> Answer:
    from runtime.schemas import RecommendRequest

    return lambda job: bundle.recommend(RecommendRequest.model_validate({**_posting(job),
                                                                          "k": k}))


def tags_answer(bundle: LoadedBundle) -> Answer:
    from runtime.schemas import TagsRequest

    return lambda job: bundle.tags(TagsRequest.model_validate({**_posting(job),
                                                               "include_scores": True}))


def skills_answer(bundle: LoadedBundle, k: int) -> Answer:
    from runtime.schemas import SkillsRequest

    return lambda job: bundle.skills(SkillsRequest.model_validate({**_posting(job), "k": k}))


def path_answer(bundle: LoadedBundle) -> Answer:
    from runtime.schemas import PathRequest

    fields = ("title", "description", "profile", "max_courses", "filters")
    return lambda job: bundle.learning_path(PathRequest.model_validate(
        {name: job[name] for name in fields if name in job}))
