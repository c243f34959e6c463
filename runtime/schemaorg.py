"""careerpath's answers as schema.org JSON-LD: tags as the JobPosting properties that job
boards already publish, recommended courses as Course objects.

The mapping of tags is exact both ways (`tags_from_job_posting` undoes `tags_as_job_posting`):
a tag schema.org has no property for (supervising others) and any tag of a custom-trained model
are kept under careerpath's own namespace, `urn:careerpath:vocab:`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from runtime.schemas import RecommendResponse, TagsResponse

NAMESPACE = "careerpath"
CONTEXT = {"@vocab": "https://schema.org/", NAMESPACE: "urn:careerpath:vocab:"}
MEDIA_TYPE = "application/ld+json"

EMPLOYMENT_TYPES = {"full-time-job": "FULL_TIME", "part-time-job": "PART_TIME"}
PAY_UNITS = {"hourly-wage": "HOUR", "salary": "YEAR"}
CREDENTIALS = {"associate-needed": "associate degree", "bs-degree-needed": "bachelor degree",
               "ms-or-phd-needed": "postgraduate degree"}
EXPERIENCE_MONTHS = {"1-year-experience-needed": 12, "2-4-years-experience-needed": 24,
                     "5-plus-years-experience-needed": 60}  # lower bounds
LICENCE_TAG, LICENCE_CATEGORY = "licence-needed", "license"
SUPERVISING_TAG = "supervising-job"
SUPERVISES = f"{NAMESPACE}:supervisesOthers"
OTHER_TAGS = f"{NAMESPACE}:otherTags"
MODEL_VERSION = f"{NAMESPACE}:modelVersion"
MAPPED = {*EMPLOYMENT_TYPES, *PAY_UNITS, *CREDENTIALS, *EXPERIENCE_MONTHS, LICENCE_TAG,
          SUPERVISING_TAG}


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def tags_as_job_posting(tags: Sequence[str]) -> dict[str, Any]:
    """The JobPosting properties that state `tags` (the properties of absent tags are
    absent)."""
    chosen = set(tags)
    properties: dict[str, list[Any]] = {
        "employmentType": [kind for tag, kind in EMPLOYMENT_TYPES.items() if tag in chosen],
        "baseSalary": [{"@type": "MonetaryAmount",
                        "value": {"@type": "QuantitativeValue", "unitText": unit}}
                       for tag, unit in PAY_UNITS.items() if tag in chosen],
        "educationRequirements": [{"@type": "EducationalOccupationalCredential",
                                   "credentialCategory": category}
                                  for tag, category in CREDENTIALS.items() if tag in chosen],
        "experienceRequirements": [{"@type": "OccupationalExperienceRequirements",
                                    "monthsOfExperience": months}
                                   for tag, months in EXPERIENCE_MONTHS.items()
                                   if tag in chosen],
        "qualifications": [{"@type": "EducationalOccupationalCredential",
                            "credentialCategory": LICENCE_CATEGORY}]
        if LICENCE_TAG in chosen else [],
    }
    posting: dict[str, Any] = {"@context": CONTEXT, "@type": "JobPosting"}
    posting |= {name: _one_or_many(values) for name, values in properties.items() if values}
    if SUPERVISING_TAG in chosen:
        posting[SUPERVISES] = True
    if others := sorted(chosen - MAPPED):
        posting[OTHER_TAGS] = others
    return posting


def tags_from_job_posting(posting: Mapping[str, Any]) -> list[str]:
    """The careerpath tags that a JobPosting's properties state, sorted."""
    def categories(name: str) -> set[Any]:
        return {item.get("credentialCategory") for item in _as_list(posting.get(name))
                if isinstance(item, Mapping)}

    units = {item.get("value", {}).get("unitText") for item in _as_list(posting.get("baseSalary"))
             if isinstance(item, Mapping)}
    months = {item.get("monthsOfExperience")
              for item in _as_list(posting.get("experienceRequirements"))
              if isinstance(item, Mapping)}
    employment = set(_as_list(posting.get("employmentType")))
    tags = {tag for tag, kind in EMPLOYMENT_TYPES.items() if kind in employment}
    tags |= {tag for tag, unit in PAY_UNITS.items() if unit in units}
    tags |= {tag for tag, category in CREDENTIALS.items()
             if category in categories("educationRequirements")}
    tags |= {tag for tag, needed in EXPERIENCE_MONTHS.items() if needed in months}
    if LICENCE_CATEGORY in categories("qualifications"):
        tags.add(LICENCE_TAG)
    if posting.get(SUPERVISES) is True:
        tags.add(SUPERVISING_TAG)
    return sorted(tags | set(_as_list(posting.get(OTHER_TAGS))))


def tags_answer(answer: TagsResponse) -> dict[str, Any]:
    """A /tags answer as a JobPosting; the tags' scores stay in careerpath's own format."""
    return tags_as_job_posting([tag.tag for tag in answer.tags]) | {
        MODEL_VERSION: answer.model_version}


def recommend_answer(answer: RecommendResponse) -> dict[str, Any]:
    """A /recommend answer as an ItemList of Course objects, best first; each list item keeps
    careerpath's score, confidence and reason under its namespace."""
    items = []
    for position, course in enumerate(answer.courses, start=1):
        item: dict[str, Any] = {
            "@type": "Course", "identifier": course.id, "name": course.title,
            "provider": {"@type": "Organization", "name": course.provider}, "url": course.url}
        if course.level is not None:
            item["educationalLevel"] = course.level
        if course.skills:
            item["teaches"] = [{"@type": "DefinedTerm", "name": skill.label, "url": skill.uri}
                               for skill in course.skills]
        entry: dict[str, Any] = {"@type": "ListItem", "position": position, "item": item,
                                 f"{NAMESPACE}:score": course.score,
                                 f"{NAMESPACE}:reason": course.reason}
        if course.confidence is not None:
            entry[f"{NAMESPACE}:confidence"] = course.confidence
        items.append(entry)
    return {"@context": CONTEXT, "@type": "ItemList", "itemListOrder": "ItemListOrderDescending",
            "numberOfItems": len(items), "itemListElement": items,
            MODEL_VERSION: answer.model_version}
