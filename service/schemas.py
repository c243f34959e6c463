"""The HTTP layer's own bodies: batches, feedback, operations and problem documents. The
posting and answer shapes it shares with the command line are in `runtime.schemas`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from runtime.schemas import (
    EXAMPLE_JOB,
    Posting,
    RequestBody,
    Strict,
)

SAMPLE_COURSE_ID = "data-science-12-sql-in-practice"  # in the sample catalog: "Try it out" works


class CourseFeedback(RequestBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"job": EXAMPLE_JOB, "course_id": SAMPLE_COURSE_ID, "helpful": True}]})

    job: Posting
    course_id: str = Field(min_length=1, max_length=300)
    helpful: bool
    request_id: str | None = Field(None, max_length=100)


class TagFeedback(RequestBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"job": EXAMPLE_JOB, "tags": ["full-time-job", "salary", "bs-degree-needed"]}]})

    job: Posting
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
    ready: bool = Field(description="Models are loaded: the read endpoints answer.")
    model_version: str | None
    feedback_store: bool = Field(description="The feedback store is reachable; while it is "
                                             "not, /feedback answers 503 and the rest works.")
    degraded: list[str] = Field(default_factory=list,
                                description="What does not work now, e.g. feedback_store.")
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
               429: "Over the rate limit: retry after Retry-After seconds",
               503: "No model loaded (or, for /feedback, the store unreachable)"}
    schema = {"$ref": "#/components/schemas/Problem"}
    return {status: {"model": Problem, "description": reasons[status],
                     "content": {"application/problem+json": {"schema": schema}}}
            for status in statuses}


def linked_data_response(example: dict) -> dict:
    """The OpenAPI entry of an answer that `?format=schema.org` turns into JSON-LD."""
    return {200: {"content": {"application/ld+json": {
        "schema": {"type": "object", "additionalProperties": True}, "example": example}}}}
