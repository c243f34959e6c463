from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from pipelines.feedback import StoreUnavailableError
from runtime.schemas import TagsRequest, TagsResponse
from service.deps import (
    BundleDep,
    InferenceDep,
    SettingsDep,
    StoreDep,
    check_batch,
    check_length,
)
from service.schemas import TagsBatchRequest, TagsBatchResponse, problem_responses

router = APIRouter(tags=["tags"])
TAGS_BUDGET = 0.005  # seconds a tagging call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 422, 503)


@router.post("/tags", response_model=TagsResponse, responses=ERRORS,
             response_model_exclude_none=True,
             summary="The tags of a job posting (experience, degree, schedule, pay type, ...)")
async def tags(request: TagsRequest, bundle: BundleDep, settings: SettingsDep, store: StoreDep,
               inference: InferenceDep, http: Request) -> TagsResponse:
    check_length(request, settings)
    response = await inference.run(bundle.tags, request, budget=TAGS_BUDGET)
    if settings.record_postings:
        try:
            await run_in_threadpool(store.record_posting, request.title, request.description)
        except StoreUnavailableError:  # a training example lost; the answer is not
            http.app.state.metrics.recording_failures.inc()
    return response


@router.post("/tags/batch", response_model=TagsBatchResponse, responses=ERRORS,
             response_model_exclude_none=True,
             summary="Tags for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def tags_batch(batch: TagsBatchRequest, bundle: BundleDep, settings: SettingsDep,
                     inference: InferenceDep) -> TagsBatchResponse:
    check_batch(batch.jobs, settings)
    results = await inference.run_each(bundle.tags, batch.jobs, budget=TAGS_BUDGET)
    return TagsBatchResponse(model_version=bundle.version, results=results)
