"""What a posting is, what callers may ask of it and what the models answer: one schema for the
API, the batch command line and Spark (unknown fields are rejected)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipelines.records import Level

EXAMPLE_JOB: dict[str, Any] = {
    "title": "Data Analyst",
    "description": "We are looking for a data analyst with strong SQL and Python skills to "
                   "build dashboards in Tableau and present findings to stakeholders. "
                   "Bachelor's degree and 2+ years of experience required. Full-time, salary "
                   "$65,000-$80,000.",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestBody(Strict):
    """What clients send (responses skip this check: they pass validation on the way out)."""

    @field_validator("*")
    @classmethod
    def _is_unicode_text(cls, value: Any) -> Any:
        """JSON can escape half of a UTF-16 surrogate pair ("\\ud83d", left where a client cut
        a string inside an emoji). That is no text a model or store can encode: refused here
        (pydantic itself refuses it only in fields with length limits)."""
        for text in value if isinstance(value, list) else (value,):
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode()
                except UnicodeEncodeError as error:
                    raise ValueError(f"Input should be a valid string: position {error.start} "
                                     "holds half of a UTF-16 surrogate pair") from None
        return value


class Posting(RequestBody):
    title: str = Field("", max_length=300, description="Job title (optional).")
    description: str = Field(
        description="The posting's text (plain text or HTML); not blank.",
        json_schema_extra={"minLength": 1, "pattern": r"\S"})

    @field_validator("description")
    @classmethod
    def _has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty or whitespace only")
        return value


class RecommendFilters(RequestBody):
    level: Level | None = None
    provider: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=20, description="e.g. 'en', 'es'")


class RecommendRequest(Posting):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {**EXAMPLE_JOB, "k": 5, "filters": {"level": "beginner"}}]})

    k: int = Field(10, ge=1, le=50, description="How many courses (1-50).")
    filters: RecommendFilters | None = None


class CourseOut(Strict):
    id: str
    title: str
    provider: str
    level: Level | None
    url: str
    score: float
    reason: str


class RecommendResponse(Strict):
    model_version: str
    courses: list[CourseOut]


class TagsRequest(Posting):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE_JOB]})

    threshold: float | None = Field(None, ge=0, le=1,
                                    description="One cut-off for every tag instead of the "
                                                "model's tuned per-tag thresholds.")
    include_scores: bool = Field(False, description="Also return every tag's probability.")


class TagOut(Strict):
    tag: str
    score: float


class TagsResponse(Strict):
    model_version: str
    tags: list[TagOut]
    scores: dict[str, float] | None = None




def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """pydantic's errors as `{field, message}`, the field a dotted path within the body."""
    return [{"field": ".".join(str(part) for part in e.get("loc", ()) if part != "body"),
             "message": e.get("msg", "")} for e in errors]


def summarize_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    """`field: message; ...` for the first five errors."""
    return "; ".join(f"{d['field'] or 'body'}: {d['message']}"
                     for d in field_errors(errors)[:5])
