from __future__ import annotations

from fastapi import APIRouter, Response

from runtime import schemaorg
from runtime.schemas import RecommendRequest, RecommendResponse
from service.batches import answer_each, batch_models
from service.deps import (
    AnswerFormat,
    AnswersDep,
    BundleDep,
    FormatDep,
    SettingsDep,
    check_length,
    linked_data,
    name_ignored,
)
from service.schemas import linked_data_response, problem_responses

router = APIRouter(tags=["recommend"])
RECOMMEND_BUDGET = 0.010  # seconds a recommendation call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 415, 422, 429, 503)
BATCH = batch_models(RecommendRequest, RecommendResponse, "Recommend")


LINKED_DATA_EXAMPLE = {
    "@context": schemaorg.CONTEXT, "@type": "ItemList", "numberOfItems": 1,
    "itemListOrder": "ItemListOrderDescending", "itemListElement": [{
        "@type": "ListItem", "position": 1, "careerpath:score": 0.71,
        "careerpath:reason": "Covers SQL, Tableau from the posting",
        "item": {"@type": "Course", "identifier": "sql-for-data-analysis",
                 "name": "SQL for Data Analysis", "url": "https://example.org/sql",
                 "provider": {"@type": "Organization", "name": "Coursera"},
                 "educationalLevel": "beginner",
                 "teaches": [{"@type": "DefinedTerm", "name": "SQL",
                              "url": "http://data.europa.eu/esco/skill/example"}]}}],
    "careerpath:modelVersion": "20261203T120000.000000Z-abcd"}


@router.post("/recommend", response_model=RecommendResponse,
             response_model_exclude_none=True,
             responses=ERRORS | linked_data_response(LINKED_DATA_EXAMPLE),
             summary="Courses worth taking for a job posting, best first")
async def recommend(request: RecommendRequest, bundle: BundleDep, settings: SettingsDep,
                    answers: AnswersDep, response: Response,
                    answer_format: FormatDep,
                    ) -> RecommendResponse | Response:
    check_length(request, settings)
    name_ignored(response, request.ignored_fields)
    answer = await answers.get(bundle.recommend, request, RecommendResponse, bundle.version,
                              RECOMMEND_BUDGET)
    if answer_format is AnswerFormat.schema_org:
        return linked_data(schemaorg.recommend_answer(answer), response)
    return answer


@router.post("/recommend/batch", response_model=BATCH.response, responses=ERRORS,
             summary="Recommendations for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def recommend_batch(batch: BATCH.request, bundle: BundleDep,  # type: ignore[name-defined]
        settings: SettingsDep, answers: AnswersDep, response: Response,
) -> dict:
    return await answer_each(BATCH, batch, bundle.recommend, bundle.version, answers,
                             settings, RECOMMEND_BUDGET, response)
