from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from pipelines.feedback import StoreUnavailableError
from runtime import schemaorg
from runtime.schemas import TagsRequest, TagsResponse
from service.batches import answer_each, batch_models
from service.deps import (
    AnswerFormat,
    AnswersDep,
    BundleDep,
    FormatDep,
    SettingsDep,
    StoreDep,
    check_length,
    linked_data,
    name_ignored,
)
from service.schemas import linked_data_response, problem_responses

router = APIRouter(tags=["tags"])
TAGS_BUDGET = 0.005  # seconds a tagging call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 415, 422, 429, 503)
BATCH = batch_models(TagsRequest, TagsResponse, "Tags")


LINKED_DATA_EXAMPLE = schemaorg.tags_as_job_posting(
    ["full-time-job", "salary", "bs-degree-needed", "2-4-years-experience-needed"]) | {
    schemaorg.MODEL_VERSION: "20261203T120000.000000Z-abcd"}


@router.post("/tags", response_model=TagsResponse,
             responses=ERRORS | linked_data_response(LINKED_DATA_EXAMPLE),
             response_model_exclude_none=True,
             summary="The tags of a job posting (experience, degree, schedule, pay type, ...)",
             description="With `?format=schema.org`, the tags as the schema.org JobPosting "
                         "properties that state them: `employmentType`, `baseSalary` (its "
                         "`unitText`), `educationRequirements` and `qualifications` "
                         "(credentials), `experienceRequirements` (`monthsOfExperience`, a "
                         "lower bound); supervising others, which schema.org has no property "
                         "for, as `careerpath:supervisesOthers`.")
async def tags(request: TagsRequest, bundle: BundleDep, settings: SettingsDep, store: StoreDep,
               answers: AnswersDep, http: Request, response: Response,
               answer_format: FormatDep) -> TagsResponse | Response:
    check_length(request, settings)
    name_ignored(response, request.ignored_fields)
    answer = await answers.get(bundle.tags, request, TagsResponse, bundle.version,
                              TAGS_BUDGET)
    if settings.record_postings:
        try:
            await run_in_threadpool(store.record_posting, request.title, request.description)
        except StoreUnavailableError:  # a training example lost; the answer is not
            http.app.state.metrics.recording_failures.inc()
    if answer_format is AnswerFormat.schema_org:
        return linked_data(schemaorg.tags_answer(answer), response)
    return answer


@router.post("/tags/batch", response_model=BATCH.response, responses=ERRORS,
             response_model_exclude_none=True,
             summary="Tags for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def tags_batch(batch: BATCH.request, bundle: BundleDep,  # type: ignore[name-defined]
                     settings: SettingsDep, answers: AnswersDep, response: Response) -> dict:
    return await answer_each(BATCH, batch, bundle.tags, bundle.version, answers, settings,
                             TAGS_BUDGET, response)
