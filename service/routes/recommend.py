from __future__ import annotations

from fastapi import APIRouter

from service.deps import (
    BundleDep,
    InferenceDep,
    LanguageDep,
    SettingsDep,
    check_batch,
    check_length,
)
from service.errors import NotReadyError
from service.language import LanguageGuard
from service.live import LoadedBundle
from service.recommender import Filters
from service.schemas import (
    CourseOut,
    RecommendBatchRequest,
    RecommendBatchResponse,
    RecommendRequest,
    RecommendResponse,
    problem_responses,
)

router = APIRouter(tags=["recommend"])
RECOMMEND_BUDGET = 0.010  # seconds a recommendation call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 422, 503)


def _recommend(bundle: LoadedBundle, language: LanguageGuard,
               request: RecommendRequest) -> RecommendResponse:
    if bundle.recommender is None:
        raise NotReadyError("the live bundle has no recommender")
    language.check(request.title, request.description)
    filters = Filters(**request.filters.model_dump()) if request.filters else None
    found = bundle.recommender.recommend(request.title, request.description, request.k, filters)
    courses = [
        CourseOut(id=r.course.id, title=r.course.title, provider=r.course.provider,
                  level=r.course.level, url=r.course.url, score=r.score, reason=r.reason)
        for r in found
    ]
    return RecommendResponse(model_version=bundle.version, courses=courses)


@router.post("/recommend", response_model=RecommendResponse, responses=ERRORS,
             summary="Courses worth taking for a job posting, best first")
async def recommend(request: RecommendRequest, bundle: BundleDep, settings: SettingsDep,
                    inference: InferenceDep, language: LanguageDep) -> RecommendResponse:
    check_length(request, settings)
    return await inference.run(_recommend, bundle, language, request, budget=RECOMMEND_BUDGET)


@router.post("/recommend/batch", response_model=RecommendBatchResponse, responses=ERRORS,
             summary="Recommendations for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def recommend_batch(batch: RecommendBatchRequest, bundle: BundleDep,
                          settings: SettingsDep, inference: InferenceDep,
                          language: LanguageDep) -> RecommendBatchResponse:
    check_batch(batch.jobs, settings)
    results = await inference.run_each(_recommend, batch.jobs, bundle, language,
                                       budget=RECOMMEND_BUDGET)
    return RecommendBatchResponse(model_version=bundle.version, results=results)
