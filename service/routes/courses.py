from __future__ import annotations

from fastapi import APIRouter

from service.deps import BundleDep
from service.errors import CourseNotFoundError
from service.schemas import CourseInfo, problem_responses

router = APIRouter(tags=["courses"])


@router.api_route("/courses/{course_id}", methods=["GET", "HEAD"], response_model=CourseInfo,
                  responses=problem_responses(401, 404, 429, 503),
                  summary="A course of the live catalog, by the id an answer gave")
async def course(course_id: str, bundle: BundleDep) -> CourseInfo:
    recommender = bundle.require_recommender()
    if course_id not in recommender:
        raise CourseNotFoundError(f"course {course_id!r} is not in the catalog of model "
                                 f"{bundle.version}")
    found = recommender.course(course_id)
    return CourseInfo(id=found.id, title=found.title, provider=found.provider,
                      level=found.level, url=found.url, language=found.language,
                      skills=bundle.skills_taught_by(course_id))
