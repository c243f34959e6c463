from __future__ import annotations

from fastapi import APIRouter

from runtime.schemas import RecommendRequest, RecommendResponse
from service.deps import BundleDep, InferenceDep, SettingsDep, check_batch, check_length
from service.schemas import RecommendBatchRequest, RecommendBatchResponse, problem_responses

router = APIRouter(tags=["recommend"])
RECOMMEND_BUDGET = 0.010  # seconds a recommendation call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 422, 503)


@router.post("/recommend", response_model=RecommendResponse, responses=ERRORS,
             summary="Courses worth taking for a job posting, best first")
async def recommend(request: RecommendRequest, bundle: BundleDep, settings: SettingsDep,
                    inference: InferenceDep) -> RecommendResponse:
    check_length(request, settings)
    return await inference.run(bundle.recommend, request, budget=RECOMMEND_BUDGET)


@router.post("/recommend/batch", response_model=RecommendBatchResponse, responses=ERRORS,
             summary="Recommendations for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def recommend_batch(batch: RecommendBatchRequest, bundle: BundleDep,
                          settings: SettingsDep, inference: InferenceDep) -> RecommendBatchResponse:
    check_batch(batch.jobs, settings)
    results = await inference.run_each(bundle.recommend, batch.jobs, budget=RECOMMEND_BUDGET)
    return RecommendBatchResponse(model_version=bundle.version, results=results)
