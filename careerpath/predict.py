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
    """Write one `answer_line` per input line, an error with its line number; returns the
    number of lines that could not be answered (the run goes on past them)."""
    failures = 0
    with input_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            record = answer_line(line, answer)
            if "error" in record:
                record = {"id": record.pop("id"), "line": number, **record}
            failures += "error" in record
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return failures


INVALID = "about:blank"  # the problem type of a body that fails validation, as in the API


def answer_line(line: str, answer: Answer) -> dict[str, Any]:
    """`answer_record` of a JSON line; a line that is not a JSON object gets its error."""
    try:
        job = json.loads(line)
        if not isinstance(job, dict):
            raise ValueError("the line is not a JSON object")
    except ValueError as error:
        return {"id": None, "error": str(error), "type": INVALID}
    return answer_record(job, answer)


def answer_record(job: dict[str, Any], answer: Answer) -> dict[str, Any]:
    """`{"id", **answer(job)}`, `answer` validating the posting as the API validates a
    request body; the id is the posting's own (null when it has none). A posting that
    cannot be answered (invalid fields, or refused by the models as the service refuses it)
    gets `{"id", "error", "type"}` instead, `type` the API's problem type."""
    job = dict(job)
    record: dict[str, Any] = {"id": job.pop("id", None)}
    try:
        record.update(answer(job).model_dump(mode="json", exclude_none=True))
    except ValidationError as error:
        record.update(error=summarize_errors(error.errors()), type=INVALID)
    except PostingError as error:
        record.update(error=str(error), type=error.problem_type)
    return record


def answer_for(bundle: LoadedBundle, model: str, k: int = 10) -> Answer:
    """The answer of `model` (recommend, tags, skills, path) with a loaded bundle: each line is
    the API's request body (careerpath's fields or a schema.org JobPosting, with the
    endpoint's options), validated as the API validates it; `k` is the default for lines
    that set none, and tags come with every tag's score."""
    from runtime.schemas import PathRequest, RecommendRequest, SkillsRequest, TagsRequest

    requests: dict[str, tuple[type[BaseModel], dict[str, Any], Callable[[Any], BaseModel]]] = {
        "recommend": (RecommendRequest, {"k": k}, bundle.recommend),
        "tags": (TagsRequest, {"include_scores": True}, bundle.tags),
        "skills": (SkillsRequest, {"k": k}, bundle.skills),
        "path": (PathRequest, {}, bundle.learning_path)}
    request, defaults, answer = requests[model]
    return lambda job: answer(request.model_validate({**defaults, **job}))
