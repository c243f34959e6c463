from __future__ import annotations

from fastapi import APIRouter, Response

from runtime.schemas import PathRequest, PathResponse
from service.batches import answer_each, batch_models
from service.deps import AnswersDep, BundleDep, SettingsDep, check_length, name_ignored
from service.schemas import problem_responses

router = APIRouter(tags=["path"])
PATH_BUDGET = 0.015  # seconds a path call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 415, 422, 429, 503)
BATCH = batch_models(PathRequest, PathResponse, "Path")


@router.post("/path", response_model=PathResponse, responses=ERRORS,
             response_model_exclude_none=True,
             summary="The few courses that together cover what a job needs",
             description="Courses enter only when their confidence (the calibrated "
                         "probability that they are relevant) clears the bundle's floor; each "
                         "adds job skills the others do not teach, and none repeats another's "
                         "title. Skills in the optional `profile` are left out. When nothing "
                         "fits, the path is empty and `explanation` says why.")
async def path(request: PathRequest, bundle: BundleDep, settings: SettingsDep,
               answers: AnswersDep, response: Response) -> PathResponse:
    check_length(request, settings)
    name_ignored(response, request.ignored_fields)
    return await answers.get(bundle.learning_path, request, PathResponse, bundle.version,
                              PATH_BUDGET)


@router.post("/path/batch", response_model=BATCH.response, responses=ERRORS,
             summary="Paths for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def path_batch(batch: BATCH.request, bundle: BundleDep,  # type: ignore[name-defined]
        settings: SettingsDep, answers: AnswersDep, response: Response,
) -> dict:
    return await answer_each(BATCH, batch, bundle.learning_path, bundle.version, answers,
                             settings, PATH_BUDGET, response)
