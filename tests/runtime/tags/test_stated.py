"""What a JobPosting's own properties state decides its tags, and says where each comes from."""

from __future__ import annotations

import pytest

from runtime.schemas import TagsRequest
from runtime.tags.stated import TEXT, StatedTerms, stated_terms

NURSE = {"@type": "JobPosting", "title": "Nurse",
         "description": "Part-time RN, $30 per hour. Valid license required."}


def _stated(**properties) -> StatedTerms:
    return stated_terms({**NURSE, **properties})


def test_each_property_states_its_terms():
    stated = _stated(
        employmentType=["FULL_TIME"],
        baseSalary={"@type": "MonetaryAmount",
                    "value": {"@type": "QuantitativeValue", "unitText": "YEAR"}},
        educationRequirements={"@type": "EducationalOccupationalCredential",
                               "credentialCategory": "bachelor degree"},
        experienceRequirements={"@type": "OccupationalExperienceRequirements",
                                "monthsOfExperience": 36})
    assert stated.tags == {"full-time-job": "employmentType", "salary": "baseSalary",
                           "bs-degree-needed": "educationRequirements",
                           "2-4-years-experience-needed": "experienceRequirements"}


@pytest.mark.parametrize("properties, tags", [
    ({"employmentType": "PART_TIME"}, {"part-time-job"}),
    ({"employmentType": ["FULL_TIME", "PART_TIME"]}, {"full-time-job", "part-time-job"}),
    ({"estimatedSalary": {"unitText": "HOUR"}}, {"hourly-wage"}),
    ({"educationRequirements": "postgraduate degree"}, {"ms-or-phd-needed"}),
    ({"experienceRequirements": {"monthsOfExperience": 60}}, {"5-plus-years-experience-needed"}),
    ({"experienceRequirements": {"monthsOfExperience": 6}}, set()),
    ({"employmentType": "CONTRACTOR", "baseSalary": "50000", "educationRequirements": 7,
      "experienceRequirements": {"monthsOfExperience": "two years"}}, set()),
])
def test_what_a_property_says_and_what_it_cannot(properties, tags):
    assert set(_stated(**properties).tags) == tags


def test_a_stated_term_overrules_what_the_text_suggested_in_its_group():
    stated = _stated(employmentType="FULL_TIME", experienceRequirements={
        "monthsOfExperience": 6})
    tags, overruled = stated.apply([("part-time-job", 0.9), ("licence-needed", 0.8),
                                    ("1-year-experience-needed", 0.7)])
    assert tags == [("full-time-job", 1.0, "employmentType"), ("licence-needed", 0.8, TEXT)]
    assert overruled == ["1-year-experience-needed", "part-time-job"]


def test_a_careerpath_posting_states_nothing():
    request = TagsRequest(title="Nurse", description="Part-time RN.")
    assert request.stated == StatedTerms()
    assert request.stated.apply([("part-time-job", 0.9)]) == (
        [("part-time-job", 0.9, TEXT)], [])
