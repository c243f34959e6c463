"""What the recommender reads of a posting and of a course: one tokenisation for training,
evaluation and serving."""

from __future__ import annotations

from pipelines.records import Course
from pipelines.text import analyze, requirements_text
from runtime.recommend.config import RecommenderConfig

# Words of the hiring process, pay and schedule: every posting has them, no course teaches
# them, and left in they pull generic career courses (interviews, résumés) up the ranking.
POSTING_STOP_WORDS = frozenset([
    "hiring", "hire", "hired", "hires", "job", "jobs", "career", "careers", "interview",
    "interviews", "interviewing", "resume", "resumes", "apply", "applying", "applicant",
    "applicants", "application", "applications", "candidate", "candidates", "position",
    "positions", "opportunity", "opportunities", "employer", "employers", "recruit",
    "recruiting", "recruiter", "recruitment", "seeking", "seeker", "looking", "join",
    "joining", "company", "companies", "hour", "hours", "week", "weekly", "pay", "paid",
    "salary", "wage", "wages", "benefits", "bonus", "shift", "shifts", "schedule", "full",
    "part", "time", "per", "year", "years", "experience", "experienced", "preferred",
    "required", "requirements", "qualifications", "qualified", "ability", "able", "must",
    "strong", "excellent", "work", "working", "environment", "team", "role",
    "responsibilities", "duties",
])


def posting_tokens(title: str, description: str, config: RecommenderConfig) -> list[str]:
    """What the model reads of a job posting: its title (weighted) and its requirements."""
    body = requirements_text(description) if config.strip_boilerplate else description
    tokens = text_tokens(title, config) * config.title_weight + text_tokens(body, config)
    if config.posting_stop_words:
        tokens = [t for t in tokens if t not in POSTING_STOP_WORDS]
    return tokens


def course_tokens(course: Course, config: RecommenderConfig) -> list[str]:
    skills = text_tokens(" ".join(course.skills), config) * config.skills_weight
    title = text_tokens(course.title, config) * config.title_weight
    return title + text_tokens(course.description, config) + skills


def text_tokens(text: str, config: RecommenderConfig) -> list[str]:
    return analyze(text, stemmed=config.stem)
