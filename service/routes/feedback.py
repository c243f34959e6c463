from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from pipelines.feedback import IdempotencyConflict
from service.deps import BundleDep, SettingsDep, StoreDep, check_length, name_ignored
from service.errors import (
    IdempotencyConflictError,
    NotReadyError,
    UnknownCourseError,
    UnknownTagError,
)
from service.schemas import (
    CourseFeedback,
    Feedback,
    FeedbackAccepted,
    TagFeedback,
    problem_responses,
)

router = APIRouter(tags=["feedback"])


def _validate(feedback: CourseFeedback | TagFeedback, bundle: BundleDep) -> str:
    if isinstance(feedback, CourseFeedback):
        if bundle.recommender is None:
            raise NotReadyError("the live bundle has no recommender to validate against")
        if feedback.course_id not in bundle.recommender:
            raise UnknownCourseError(f"course {feedback.course_id!r} is not in the catalog of "
                                     f"model {bundle.version}")
        return "course"
    if bundle.tagger is None:
        raise NotReadyError("the live bundle has no tag model to validate against")
    known, proposed = set(bundle.tagger.tags), set(feedback.proposed_new_tags)
    unknown = sorted(set(feedback.tags) - known - proposed)
    if unknown:
        raise UnknownTagError(f"unknown tags {unknown}; known tags are {sorted(known)}. List a "
                              "tag in proposed_new_tags to propose it on purpose")
    stray = sorted(proposed - set(feedback.tags))
    if stray:
        raise UnknownTagError(f"proposed_new_tags {stray} must also be in tags")
    return "tags"


@router.post("/feedback", status_code=202, response_model=FeedbackAccepted,
             responses=problem_responses(400, 401, 409, 413, 415, 422, 429, 503),
             summary="Say which courses helped and which tags were right",
             description="Stored durably before the answer. Send an `Idempotency-Key` header to "
                         "make retries safe: the same key and body return the same id.")
def feedback(body: Feedback, bundle: BundleDep, store: StoreDep, settings: SettingsDep,
             response: Response,
             idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
             ) -> FeedbackAccepted:
    check_length(body.job, settings)
    name_ignored(response, body.ignored_fields)
    kind = _validate(body, bundle)
    try:
        payload = {**body.known(), "job": {"title": body.job.title,
                                                "description": body.job.description}}
        feedback_id, _ = store.add(kind, payload, model_version=bundle.version,
                                   idempotency_key=idempotency_key)
    except IdempotencyConflict as error:
        raise IdempotencyConflictError(
            f"Idempotency-Key {error} was used before with a different body") from error
    return FeedbackAccepted(id=feedback_id, status="queued")
