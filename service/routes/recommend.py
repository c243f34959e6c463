from __future__ import annotations

from fastapi import APIRouter, Response

from runtime.schemas import RecommendRequest, RecommendResponse
from service.batches import answer_each, batch_models
from service.deps import BundleDep, InferenceDep, SettingsDep, check_length, name_ignored
from service.schemas import problem_responses

router = APIRouter(tags=["recommend"])
RECOMMEND_BUDGET = 0.010  # seconds a recommendation call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 422, 503)
BATCH = batch_models(RecommendRequest, RecommendResponse, "Recommend")


@router.post("/recommend", response_model=RecommendResponse, responses=ERRORS,
             summary="Courses worth taking for a job posting, best first")
async def recommend(request: RecommendRequest, bundle: BundleDep, settings: SettingsDep,
                    inference: InferenceDep, response: Response) -> RecommendResponse:
    check_length(request, settings)
    name_ignored(response, request.ignored_fields)
    return await inference.run(bundle.recommend, request, budget=RECOMMEND_BUDGET)


@router.post("/recommend/batch", response_model=BATCH.response, responses=ERRORS,
             summary="Recommendations for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def recommend_batch(batch: BATCH.request, bundle: BundleDep,  # type: ignore[name-defined]
        settings: SettingsDep, inference: InferenceDep, response: Response,
) -> dict:
    return await answer_each(BATCH, batch.jobs, bundle.recommend, bundle.version, inference,
                             settings, RECOMMEND_BUDGET, response)
