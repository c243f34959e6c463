from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from pipelines.feedback import StoreUnavailableError
from runtime.schemas import TagsRequest, TagsResponse
from service.batches import answer_each, batch_models
from service.deps import (
    BundleDep,
    InferenceDep,
    SettingsDep,
    StoreDep,
    check_length,
    name_ignored,
)
from service.schemas import problem_responses

router = APIRouter(tags=["tags"])
TAGS_BUDGET = 0.005  # seconds a tagging call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 422, 503)
BATCH = batch_models(TagsRequest, TagsResponse, "Tags")


@router.post("/tags", response_model=TagsResponse, responses=ERRORS,
             response_model_exclude_none=True,
             summary="The tags of a job posting (experience, degree, schedule, pay type, ...)")
async def tags(request: TagsRequest, bundle: BundleDep, settings: SettingsDep, store: StoreDep,
               inference: InferenceDep, http: Request, response: Response) -> TagsResponse:
    check_length(request, settings)
    name_ignored(response, request.ignored_fields)
    answer = await inference.run(bundle.tags, request, budget=TAGS_BUDGET)
    if settings.record_postings:
        try:
            await run_in_threadpool(store.record_posting, request.title, request.description)
        except StoreUnavailableError:  # a training example lost; the answer is not
            http.app.state.metrics.recording_failures.inc()
    return answer


@router.post("/tags/batch", response_model=BATCH.response, responses=ERRORS,
             response_model_exclude_none=True,
             summary="Tags for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def tags_batch(batch: BATCH.request, bundle: BundleDep,  # type: ignore[name-defined]
                     settings: SettingsDep, inference: InferenceDep, response: Response) -> dict:
    return await answer_each(BATCH, batch.jobs, bundle.tags, bundle.version, inference, settings,
                             TAGS_BUDGET, response)
