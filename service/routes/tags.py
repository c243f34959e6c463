from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from service.deps import (
    BundleDep,
    InferenceDep,
    LanguageDep,
    SettingsDep,
    StoreDep,
    check_batch,
    check_length,
)
from service.errors import NotReadyError
from service.language import LanguageGuard
from service.live import LoadedBundle
from service.schemas import (
    TagOut,
    TagsBatchRequest,
    TagsBatchResponse,
    TagsRequest,
    TagsResponse,
    problem_responses,
)

router = APIRouter(tags=["tags"])
TAGS_BUDGET = 0.005  # seconds a tagging call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 422, 503)


def _tags(bundle: LoadedBundle, language: LanguageGuard, request: TagsRequest) -> TagsResponse:
    if bundle.tagger is None:
        raise NotReadyError("the live bundle has no tag model")
    language.check(request.title, request.description)
    chosen, scores = bundle.tagger.predict(request.title, request.description,
                                           request.threshold)
    return TagsResponse(model_version=bundle.version,
                        tags=[TagOut(tag=s.tag, score=s.score) for s in chosen],
                        scores=scores if request.include_scores else None)


@router.post("/tags", response_model=TagsResponse, responses=ERRORS,
             response_model_exclude_none=True,
             summary="The tags of a job posting (experience, degree, schedule, pay type, ...)")
async def tags(request: TagsRequest, bundle: BundleDep, settings: SettingsDep, store: StoreDep,
               inference: InferenceDep, language: LanguageDep) -> TagsResponse:
    check_length(request, settings)
    response = await inference.run(_tags, bundle, language, request, budget=TAGS_BUDGET)
    if settings.record_postings:
        await run_in_threadpool(store.record_posting, request.title, request.description)
    return response


@router.post("/tags/batch", response_model=TagsBatchResponse, responses=ERRORS,
             response_model_exclude_none=True,
             summary="Tags for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def tags_batch(batch: TagsBatchRequest, bundle: BundleDep, settings: SettingsDep,
                     inference: InferenceDep, language: LanguageDep) -> TagsBatchResponse:
    check_batch(batch.jobs, settings)
    results = await inference.run_each(_tags, batch.jobs, bundle, language, budget=TAGS_BUDGET)
    return TagsBatchResponse(model_version=bundle.version, results=results)
