"""Request and response bodies of the API (unknown fields are rejected)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Level = Literal["beginner", "intermediate", "advanced", "mixed"]
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


class JobPosting(RequestBody):
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


class RecommendRequest(JobPosting):
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


class TagsRequest(JobPosting):
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


class RecommendBatchRequest(RequestBody):
    jobs: list[RecommendRequest] = Field(min_length=1)


class RecommendBatchResponse(Strict):
    model_version: str
    results: list[RecommendResponse]


class TagsBatchRequest(RequestBody):
    jobs: list[TagsRequest] = Field(min_length=1)


class TagsBatchResponse(Strict):
    model_version: str
    results: list[TagsResponse]


class CourseFeedback(RequestBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"job": EXAMPLE_JOB, "course_id": "sql-for-data-science", "helpful": True}]})

    job: JobPosting
    course_id: str = Field(min_length=1, max_length=300)
    helpful: bool
    request_id: str | None = Field(None, max_length=100)


class TagFeedback(RequestBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"job": EXAMPLE_JOB, "tags": ["full-time-job", "salary", "bs-degree-needed"]}]})

    job: JobPosting
    tags: list[str] = Field(max_length=50, description="The posting's correct tag set.")
    proposed_new_tags: list[str] = Field(
        default_factory=list, max_length=10,
        description="Tags in `tags` that the model does not know yet, proposed on purpose.")
    request_id: str | None = Field(None, max_length=100)


class FeedbackAccepted(Strict):
    id: str
    status: Literal["queued"]


class Health(Strict):
    status: Literal["ok"]


class Readiness(Strict):
    ready: bool
    model_version: str | None
    feedback_store: bool
    reload_error: str | None = None


class VersionInfo(Strict):
    model_version: str | None
    created_at: str | None
    components: list[str]
    metrics: dict
    reload_error: str | None = None


class Problem(BaseModel):
    """An RFC 7807 problem document."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI entries for the problem documents an endpoint can answer with."""
    reasons = {400: "Malformed JSON or a rule of the request broken",
               401: "Missing or invalid X-API-Key", 409: "Idempotency key reused",
               413: "Body or text over the limit", 422: "Invalid request",
               503: "No model loaded"}
    schema = {"$ref": "#/components/schemas/Problem"}
    return {status: {"model": Problem, "description": reasons[status],
                     "content": {"application/problem+json": {"schema": schema}}}
            for status in statuses}
