from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from runtime.schemaorg import (
    MAPPED,
    recommend_answer,
    tags_answer,
    tags_as_job_posting,
    tags_from_job_posting,
)
from runtime.schemas import CourseOut, RecommendResponse, SkillOut, TagOut, TagsResponse
from tests.schemaorg_vocabulary import assert_schema_org

KNOWN = sorted(MAPPED)
CUSTOM = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20).filter(
    lambda tag: tag not in MAPPED)


@given(st.sets(st.sampled_from(KNOWN)), st.sets(CUSTOM, max_size=3))
def test_tags_map_to_schema_org_and_back_exactly(known, custom):
    posting = tags_as_job_posting([*known, *custom])
    assert tags_from_job_posting(posting) == sorted(known | custom)
    assert_schema_org(posting)


def test_tags_read_as_the_properties_boards_publish():
    posting = tags_as_job_posting(["full-time-job", "hourly-wage", "bs-degree-needed",
                                   "5-plus-years-experience-needed", "licence-needed"])
    assert posting["employmentType"] == "FULL_TIME"
    assert posting["baseSalary"]["value"]["unitText"] == "HOUR"
    assert posting["educationRequirements"]["credentialCategory"] == "bachelor degree"
    assert posting["experienceRequirements"]["monthsOfExperience"] == 60
    assert posting["qualifications"]["credentialCategory"] == "license"
    assert "careerpath:supervisesOthers" not in posting
    assert tags_as_job_posting([]) == {"@context": posting["@context"], "@type": "JobPosting"}


def test_answers_are_schema_org():
    tags = tags_answer(TagsResponse(model_version="v1", tags=[
        TagOut(tag="part-time-job", score=0.9), TagOut(tag="supervising-job", score=0.7)]))
    assert tags["careerpath:supervisesOthers"] is True and tags["careerpath:modelVersion"] == "v1"
    assert_schema_org(tags)
    course = CourseOut(id="c1", title="SQL", provider="Coursera", level="beginner",
                       url="https://example.org/c1", score=0.8, reason="Covers SQL",
                       skills=[SkillOut(uri="http://data.europa.eu/esco/skill/1", label="SQL")],
                       confidence=0.7)
    listed = recommend_answer(RecommendResponse(model_version="v1", courses=[
        course, course.model_copy(update={"id": "c2", "level": None, "skills": [],
                                          "confidence": None})]))
    assert_schema_org(listed)
    first, second = listed["itemListElement"]
    assert (first["position"], first["item"]["identifier"]) == (1, "c1")
    assert first["item"]["teaches"][0]["name"] == "SQL" and first["careerpath:confidence"] == 0.7
    assert "educationalLevel" not in second["item"] and "teaches" not in second["item"]
