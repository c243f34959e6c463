"""Batches of postings, answered like `careerpath predict` answers a file: each item may carry
its own `id`, which comes back with its answer, and an item that cannot be answered gets its
own problem document in `results` while the others are answered (HTTP 200). Only a request
that is malformed as a whole (not JSON, not a list of objects, too many items) is refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Response
from pydantic import BaseModel, Field, ValidationError, create_model

from runtime.errors import PostingError, PostingTooLongError
from runtime.schemas import Posting, RequestBody, Strict, field_errors, summarize_errors
from service.answers import Answers
from service.deps import check_length, name_ignored
from service.errors import ProblemError, domain_problem
from service.schemas import Problem
from service.settings import ServiceSettings

ItemId = str | int | None


class BatchFailure(Strict):
    """An item of a batch that could not be answered."""

    id: ItemId = None
    error: Problem


@dataclass(frozen=True)
class Batch:
    """A batch endpoint's models: an item (a posting with an id), its answer, the request and
    the response."""

    item: type[Posting]
    answer: type[BaseModel]
    request: type[BaseModel]
    response: type[BaseModel]


def batch_models(item: type[Posting], answer: type[BaseModel], name: str) -> Batch:
    """The models of a batch of `item`s answered by `answer`s."""
    with_id = create_model(f"{name}BatchItem", __base__=item,
                           id=(ItemId, Field(None, description="Comes back with the answer.")))
    result = create_model(f"{name}BatchResult", __base__=answer, id=(ItemId, None))
    # an item that is not valid stays a plain object, to be answered with its problem
    valid_or_not = Annotated[with_id | dict[str, Any],  # type: ignore[valid-type]
                             Field(union_mode="left_to_right")]
    request = create_model(
        f"{name}BatchRequest", __base__=RequestBody,
        jobs=(list[valid_or_not],  # type: ignore[valid-type]
              Field(min_length=1, description="Postings; an item that is not valid gets its "
                                              "own problem in `results`.")))
    response = create_model(
        f"{name}BatchResponse", __base__=Strict, model_version=(str, ...),
        results=(list[result | BatchFailure], Field(  # type: ignore[valid-type]
            description="One per item, in order: an answer, or {id, error}.")))
    return Batch(with_id, answer, request, response)


async def answer_each(batch: Batch, request: RequestBody, answer: Callable[[Any], Any],
                      version: str, answers: Answers, settings: ServiceSettings, budget: float,
                      response: Response) -> dict[str, Any]:
    """Each item's answer (with its id), or its failure; items are answered in turn, so single
    requests are served between them. The fields no item's model knows are named."""
    jobs: Sequence[Any] = request.jobs  # type: ignore[attr-defined]
    if len(jobs) > settings.max_batch:
        raise ProblemError(f"at most {settings.max_batch} postings per call; got {len(jobs)}")
    results: list[Any] = []
    ignored: list[str] = list(request.ignored_fields)
    for index, job in enumerate(jobs):
        item_id = job.get("id") if isinstance(job, dict) else job.id
        try:
            posting = batch.item.model_validate(job) if isinstance(job, dict) else job
            ignored += [f"jobs[{index}].{name}" for name in posting.ignored_fields]
            check_length(posting, settings)
            found = await answers.get(answer, posting, batch.answer, version, budget)
            results.append({**found.model_dump(), "id": item_id})
        except ValidationError as error:
            results.append(_failure(item_id, index, 422, "Invalid request",
                                    summarize_errors(error.errors()),
                                    errors=field_errors(error.errors())))
        except (PostingError, PostingTooLongError) as error:
            status, title = domain_problem(error)
            results.append(_failure(item_id, index, status, title, str(error),
                                    type=error.problem_type, **error.extra))
    name_ignored(response, ignored)
    return {"model_version": version, "results": results}


def _failure(item_id: ItemId, index: int, status: int, title: str, detail: str,
             type: str = "about:blank", **extra: object) -> BatchFailure:
    return BatchFailure(id=item_id, error=Problem(type=type, title=title, status=status,
                                                  detail=f"jobs[{index}]: {detail}",
                                                  index=index, **extra))
