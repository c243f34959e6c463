"""The HTTP layer's own bodies: batches, feedback, operations and problem documents. The
posting and answer shapes it shares with the command line are in `runtime.schemas`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from runtime.schemas import (
    EXAMPLE_JOB,
    Posting,
    RequestBody,
    SkillOut,
    Strict,
)

SAMPLE_COURSE_ID = "data-science-12-sql-in-practice"  # in the sample catalog: "Try it out" works


class CourseFeedback(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"job": EXAMPLE_JOB, "course_id": SAMPLE_COURSE_ID, "helpful": True}]})

    job: Posting
    course_id: str = Field(min_length=1, max_length=300)
    helpful: bool
    request_id: str | None = Field(None, max_length=100)


class TagFeedback(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"job": EXAMPLE_JOB, "tags": ["full-time-job", "salary", "bs-degree-needed"]}]})

    job: Posting
    tags: list[str] = Field(max_length=50, description="The posting's correct tag set.")
    proposed_new_tags: list[str] = Field(
        default_factory=list, max_length=10,
        description="Tags in `tags` that the model does not know yet, proposed on purpose.")
    request_id: str | None = Field(None, max_length=100)


def _feedback_kind(body: Any) -> str:
    """A body naming a course is feedback on a course; any other, on tags."""
    fields = body if isinstance(body, dict) else vars(body)
    return "CourseFeedback" if "course_id" in fields else "TagFeedback"


Feedback = Annotated[Annotated[CourseFeedback, Tag("CourseFeedback")]
                     | Annotated[TagFeedback, Tag("TagFeedback")], Discriminator(_feedback_kind)]


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


class Catalog(Strict):
    courses: int = Field(description="How many courses the live recommender ranks.")
    sha256: str | None = Field(description="The digest of the catalog file it was built from.")


class VersionInfo(Strict):
    model_version: str | None
    created_at: str | None
    components: list[str]
    metrics: dict
    catalog: Catalog | None = None
    reload_error: str | None = None


class CourseInfo(Strict):
    """A course of the live catalog, as a result card shows it."""

    id: str
    title: str
    provider: str
    level: str | None
    url: str
    language: str
    skills: list[SkillOut] = Field(description="The ESCO skills the course teaches.")


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
               404: "No such resource", 413: "Body or text over the limit",
               415: "A body that is not JSON (Content-Type: application/json)",
               422: "Invalid request",
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
