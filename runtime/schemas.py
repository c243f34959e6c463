"""What a posting is, what callers may ask of it and what the models answer: one schema for the
API, the batch command line and Spark (unknown fields are rejected)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    field_validator,
    model_validator,
)

from pipelines.records import Level
from runtime.tags.stated import StatedTerms, stated_terms

EXAMPLE_JOB: dict[str, Any] = {
    "title": "Data Analyst",
    "description": "We are looking for a data analyst with strong SQL and Python skills to "
                   "build dashboards in Tableau and present findings to stakeholders. "
                   "Bachelor's degree and 2+ years of experience required. Full-time, salary "
                   "$65,000-$80,000.",
}
EXAMPLE_JOB_POSTING: dict[str, Any] = {
    "@context": "https://schema.org/", "@type": "JobPosting", "title": "Data Analyst",
    "description": "<p>Join our analytics team.</p><ul><li>Build Tableau dashboards</li>"
                   "<li>Write SQL and Python</li></ul><p>We offer health insurance.</p>",
    "qualifications": "Bachelor's degree; 2+ years of experience",
    "employmentType": "FULL_TIME", "datePosted": "2026-11-30",
    "hiringOrganization": {"@type": "Organization", "name": "Example Analytics"},
}
# Answers as the sample bundle gives them (a test validates each against its model).
EXAMPLE_VERSION = "20261203T120000.000000Z-4bde"
EXAMPLE_SKILL: dict[str, Any] = {"uri": "urn:careerpath:sample-skill:sql", "label": "SQL"}
EXAMPLE_RECOMMEND: dict[str, Any] = {"model_version": EXAMPLE_VERSION, "courses": [{
    "id": "data-science-12-sql-in-practice", "title": "SQL in Practice",
    "provider": "Open Skills Institute", "level": "beginner",
    "url": "https://courses.example.org/data-science/12", "score": 0.74,
    "reason": "Teaches SQL", "skills": [EXAMPLE_SKILL], "confidence": 0.81}]}
EXAMPLE_TAGS: dict[str, Any] = {"model_version": EXAMPLE_VERSION, "tags": [
    {"tag": "full-time-job", "score": 0.93}, {"tag": "salary", "score": 0.88},
    {"tag": "bs-degree-needed", "score": 0.79}, {"tag": "2-4-years-experience-needed",
                                                 "score": 0.66}]}
EXAMPLE_SKILLS: dict[str, Any] = {"model_version": EXAMPLE_VERSION, "skills": [
    {**EXAMPLE_SKILL, "score": 0.97,
     "evidence": "We are looking for a data analyst with strong SQL and Python skills"}]}
TABLEAU: dict[str, Any] = {"uri": "urn:careerpath:sample-skill:tableau", "label": "Tableau"}
EXAMPLE_PATH: dict[str, Any] = {"model_version": EXAMPLE_VERSION, "courses": [
    {"id": "data-science-05-applied-tableau", "title": "Applied Tableau",
     "provider": "Open Skills Institute", "level": "advanced",
     "url": "https://courses.example.org/data-science/5", "score": 0.69, "confidence": 0.72,
     "skills": [TABLEAU], "adds": [TABLEAU]}],
    "covered": [TABLEAU],
    "uncovered": [], "already_have": [EXAMPLE_SKILL]}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestBody(BaseModel):
    """What clients send: typed strictly (`"k": "5"` or `"helpful": "yes"` is refused, not
    read as 5 or true), and fields careerpath does not know ignored, not refused, and named
    (`ignored_fields`), so that a misspelt field stays visible."""

    model_config = ConfigDict(extra="allow", strict=True)

    @property
    def ignored_fields(self) -> list[str]:
        """The fields sent that careerpath does not know, nested ones as `job.colour`."""
        nested = [f"{name}.{field}" for name in type(self).model_fields
                  if isinstance(value := getattr(self, name), RequestBody)
                  for field in value.ignored_fields]
        return sorted(self.model_extra or {}) + nested

    def known(self) -> dict[str, Any]:
        """The fields careerpath knows, as sent (those it ignores left out)."""
        return self.model_dump(include=set(type(self).model_fields))

    @field_validator("*")
    @classmethod
    def _is_unicode_text(cls, value: Any) -> Any:
        """JSON can escape half of a UTF-16 surrogate pair ("\\ud83d", left where a client cut
        a string inside an emoji). That is no text a model or store can encode: refused here
        (pydantic itself refuses it only in fields with length limits)."""
        for text in value if isinstance(value, list) else (value,):
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode()
                except UnicodeEncodeError as error:
                    raise ValueError(f"Input should be a valid string: position {error.start} "
                                     "holds half of a UTF-16 surrogate pair") from None
        return value


# schema.org JobPosting (https://schema.org/JobPosting): the properties a board's JSON-LD
# carries. Those that state requirements are read as text beside the description, under a
# heading each; the rest are known and not needed here.
JOB_POSTING_PROPERTIES = frozenset([
    "@context", "@type", "@id", "title", "name", "description", "datePosted", "validThrough",
    "employmentType", "hiringOrganization", "jobLocation", "jobLocationType",
    "applicantLocationRequirements", "baseSalary", "estimatedSalary", "salaryCurrency",
    "identifier", "url", "industry", "occupationalCategory", "jobBenefits", "workHours",
    "educationRequirements", "experienceRequirements", "experienceInPlaceOfEducation",
    "qualifications", "responsibilities", "skills", "incentiveCompensation",
    "specialCommitments", "jobStartDate", "totalJobOpenings", "directApply", "image",
    "sameAs", "alternateName", "employerOverview", "physicalRequirement",
    "sensoryRequirement", "securityClearanceRequirement", "eligibilityToWorkRequirement",
    "jobImmediateStart", "relevantOccupation", "applicationContact", "mainEntityOfPage",
])
REQUIREMENT_PROPERTIES = {"responsibilities": "Responsibilities", "skills": "Skills",
                          "qualifications": "Qualifications",
                          "experienceRequirements": "Experience",
                          "educationRequirements": "Education"}


def is_job_posting(values: Mapping[str, Any]) -> bool:
    """JSON-LD, or a body with schema.org JobPosting properties careerpath has no field for."""
    return "@type" in values or "@context" in values or any(
        key in values for key in JOB_POSTING_PROPERTIES - {"title", "description"})


def _text(value: Any) -> list[str]:
    """The text of a schema.org value: a string, a list, or an object such as a DefinedTerm,
    an EducationalOccupationalCredential or OccupationalExperienceRequirements."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [text for item in value for text in _text(item)]
    if isinstance(value, dict):
        parts = [str(value[key]) for key in ("name", "credentialCategory", "description")
                 if isinstance(value.get(key), str | int | float)]
        if isinstance(value.get("monthsOfExperience"), int | float):
            parts.append(f"{value['monthsOfExperience']:g} months of experience")
        return [" ".join(parts)] if parts else []
    return []


def from_job_posting(values: Mapping[str, Any], fields: set[str]) -> dict[str, Any]:
    """A careerpath posting from a JobPosting: its title (or name) and description, the
    requirement properties appended as headed sections, careerpath's own `fields` kept, the
    other schema.org properties dropped; what neither knows is kept (and so named)."""
    kind = values.get("@type", "JobPosting")
    if kind != "JobPosting" and "JobPosting" not in (kind if isinstance(kind, list) else []):
        raise ValueError(f"@type {kind!r}: send a JobPosting")
    sections = [f"{heading}:\n" + "\n".join(_text(values[key]))
                for key, heading in REQUIREMENT_PROPERTIES.items() if _text(values.get(key))]
    description = str(values.get("description") or "")
    return {key: value for key, value in values.items()
            if key in fields or key not in JOB_POSTING_PROPERTIES} | {
        "title": str(values.get("title") or values.get("name") or ""),
        "description": "\n\n".join([description, *sections]) if description.strip()
        else description}


class Posting(RequestBody):
    """A job posting: careerpath's own fields, or a schema.org JobPosting (JSON-LD with or
    without @context and @type; the description may be HTML). Fields careerpath does not
    know are named in the answer's X-Careerpath-Ignored-Fields header."""

    title: str = Field("", max_length=300, description="Job title (optional).")
    description: str = Field(
        description="The posting's text (plain text or HTML); not blank.",
        json_schema_extra={"minLength": 1, "pattern": r"\S"})

    _stated: StatedTerms = PrivateAttr(default_factory=StatedTerms)

    @model_validator(mode="wrap")
    @classmethod
    def _read_job_posting(cls, values: Any, handler: ModelWrapValidatorHandler[Posting]
                          ) -> Posting:
        stated = StatedTerms()
        if isinstance(values, dict) and is_job_posting(values):
            stated = stated_terms(values)
            values = from_job_posting(values, set(cls.model_fields))
        posting = handler(values)
        posting._stated = stated
        return posting

    @property
    def stated(self) -> StatedTerms:
        """The terms the JobPosting's own properties state (none for a careerpath posting)."""
        return self._stated

    @field_validator("description")
    @classmethod
    def _has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty or whitespace only")
        return value


class RecommendFilters(RequestBody):
    level: Level | None = None
    provider: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=20, description="e.g. 'en', 'es'")


class RecommendRequest(Posting):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {**EXAMPLE_JOB, "k": 5, "filters": {"level": "beginner"}}, EXAMPLE_JOB_POSTING]})

    k: int = Field(10, ge=1, le=50, description="How many courses (1-50).")
    filters: RecommendFilters | None = None
    min_confidence: float | None = Field(
        None, ge=0, le=1, description=(
            "Leave out courses whose confidence is lower. By default every one of the top k "
            "is returned, with `explanation` set when none is likely; send 0.6 (the floor of "
            "/path) for only sure answers: of courses shown with 0.6 or more, about 7 in 10 "
            "were judged relevant."))


class SkillOut(Strict):
    uri: str = Field(description="The ESCO skill's URI.")
    label: str = Field(description="Its preferred label.")


class PostingSkill(SkillOut):
    score: float = Field(ge=0, le=1, description=(
        "The probability that the posting asks for the skill, calibrated on graded postings "
        "(of skills returned with 0.8, about 8 in 10 are asked for). Only skills over the "
        "bundle's threshold are returned."))
    evidence: str = Field(description="The part of the posting it was found in.")


class CourseOut(Strict):
    id: str
    title: str
    provider: str
    level: Level | None
    url: str
    score: float
    reason: str
    skills: list[SkillOut] = Field(default_factory=list,
                                   description="The posting's skills that the course teaches.")
    confidence: float | None = Field(
        None, description="The probability that the course is relevant to the job, "
                          "calibrated on judged postings: of courses shown with 0.7, about 7 "
                          "in 10 are relevant. Absent when the bundle has no calibration.")


class RecommendResponse(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_RECOMMEND]})

    model_version: str
    courses: list[CourseOut]
    explanation: str | None = Field(None, description=(
        "Set when nothing in the catalog fits the job (no course is as likely to be relevant "
        "as a learning path's floor asks), with the job's skills no course teaches; the "
        "courses are still the catalog's nearest, for callers that show something."))


class TagsRequest(Posting):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_JOB, EXAMPLE_JOB_POSTING]})

    threshold: float | None = Field(None, ge=0, le=1,
                                    description="One cut-off for every tag instead of the "
                                                "model's tuned per-tag thresholds.")
    include_scores: bool = Field(False, description="Also return every tag's probability.")


class TagOut(Strict):
    tag: str
    score: float = Field(description="The model's probability, or 1 for a tag a JobPosting "
                                     "property states.")
    source: str = Field("text", description=(
        "Where the tag comes from: `text` (the model read it in the posting), or the "
        "JobPosting property that states it (`employmentType`, `baseSalary`, "
        "`educationRequirements`, `experienceRequirements`)."))


class TagsResponse(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_TAGS]})

    model_version: str
    tags: list[TagOut]
    scores: dict[str, float] | None = None
    overruled: list[str] = Field(default_factory=list, description=(
        "Tags the text suggested that a JobPosting property ruled out (an hourly wage the "
        "text hints at, in a posting whose `baseSalary` is by the year)."))


class SkillsRequest(Posting):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_JOB, EXAMPLE_JOB_POSTING]})

    k: int = Field(10, ge=1, le=50, description=(
        "The most skills to return (1-50): fewer come back when fewer are likely enough, and "
        "none for a posting with no text that states a job."))


class SkillsResponse(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_SKILLS]})

    model_version: str
    skills: list[PostingSkill]
    explanation: str | None = Field(None, description="Why no skill is returned, when none is.")




def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """pydantic's errors as `{field, message}`, the field a dotted path within the body in
    the caller's terms: without the names pydantic gives the members of a union (capitalised,
    such as `CourseFeedback`; careerpath's fields are lower case)."""
    return [{"field": ".".join(str(part) for part in e.get("loc", ())
                               if part != "body" and not str(part)[:1].isupper()),
             "message": e.get("msg", "")} for e in errors]


def summarize_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    """`field: message; ...` for the first five errors."""
    return "; ".join(f"{d['field'] or 'body'}: {d['message']}"
                     for d in field_errors(errors)[:5])


class Profile(RequestBody):
    """What the candidate already has."""

    skills: list[str] = Field(default_factory=list, max_length=200,
                              description="ESCO skill URIs or preferred labels.")
    text: str = Field("", max_length=50_000,
                      description="Free text such as a résumé; its skills are extracted as a "
                                  "posting's are.")


class PathRequest(Posting):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {**EXAMPLE_JOB, "profile": {"text": "Three years of SQL reporting."},
         "max_courses": 4}, EXAMPLE_JOB_POSTING]})

    profile: Profile | None = None
    max_courses: int = Field(5, ge=1, le=10, description="The longest path (1-10).")
    filters: RecommendFilters | None = None


class PathCourse(Strict):
    id: str
    title: str
    provider: str
    level: Level | None
    url: str
    score: float = Field(description="The recommender's similarity, as on /recommend.")
    confidence: float = Field(description="The calibrated probability that the course is "
                                          "relevant to the job, as on /recommend.")
    skills: list[SkillOut] = Field(description="The job's skills it teaches that the "
                                               "candidate lacks.")
    adds: list[SkillOut] = Field(description="Of those, the ones no course before it in the "
                                             "path teaches.")


class PathResponse(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_PATH]})

    model_version: str
    courses: list[PathCourse] = Field(description="Foundations first (beginner before "
                                                  "advanced where the catalog says so).")
    covered: list[SkillOut] = Field(description="The job's skills the path teaches.")
    uncovered: list[SkillOut] = Field(description="The job's skills no course in the catalog "
                                                  "teaches.")
    already_have: list[SkillOut] = Field(description="The job's skills the profile covers.")
    explanation: str | None = Field(None, description="Why the path is empty, when it is.")
