from __future__ import annotations

from fastapi import APIRouter, Response

from runtime.schemas import SkillsRequest, SkillsResponse
from service.batches import answer_each, batch_models
from service.deps import AnswersDep, BundleDep, SettingsDep, check_length, name_ignored
from service.schemas import problem_responses

router = APIRouter(tags=["skills"])
SKILLS_BUDGET = 0.010  # seconds a skills call may take: its median latency objective
ERRORS = problem_responses(400, 401, 413, 415, 422, 429, 503)
BATCH = batch_models(SkillsRequest, SkillsResponse, "Skills")


@router.post("/skills", response_model=SkillsResponse, responses=ERRORS,
             response_model_exclude_none=True,
             summary="The ESCO skills a job posting asks for, with evidence",
             description="The skills the posting asks for with a probability over the "
                         "bundle's threshold, likeliest first, each with the part of the "
                         "posting that says so; at most `k`, fewer when fewer are likely, none "
                         "for a posting with no text that states a job. Boilerplate (benefits, "
                         "equal opportunity, company story) is not read, and a word shared "
                         "with a skill of another sense does not make it.")
async def skills(request: SkillsRequest, bundle: BundleDep, settings: SettingsDep,
                 answers: AnswersDep, response: Response) -> SkillsResponse:
    check_length(request, settings)
    name_ignored(response, request.ignored_fields)
    return await answers.get(bundle.skills, request, SkillsResponse, bundle.version,
                              SKILLS_BUDGET)


@router.post("/skills/batch", response_model=BATCH.response, responses=ERRORS,
             response_model_exclude_none=True,
             summary="Skills for many postings (up to CAREERPATH_MAX_BATCH per call)")
async def skills_batch(batch: BATCH.request, bundle: BundleDep,  # type: ignore[name-defined]
        settings: SettingsDep, answers: AnswersDep, response: Response,
) -> dict:
    return await answer_each(BATCH, batch, bundle.skills, bundle.version, answers,
                             settings, SKILLS_BUDGET, response)
