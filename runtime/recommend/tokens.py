"""What the recommender reads of a posting and of a course: one tokenisation for training,
evaluation and serving."""

from __future__ import annotations

from collections import Counter, defaultdict

from pipelines.records import Course
from pipelines.text import analyze
from runtime.reader import PostingReader
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


def posting_tokens(title: str, description: str, config: RecommenderConfig,
                   reader: PostingReader) -> list[str]:
    """What the model learns of a job posting: its title (weighted) and the parts that state
    the job."""
    body = (reader.job_text(description, config.part_floor)
            if config.read_parts else description)
    return _kept(text_tokens(title, config) * config.title_weight + text_tokens(body, config),
                 config)


def posting_counts(title: str, description: str, config: RecommenderConfig,
                   reader: PostingReader) -> dict[str, float]:
    """What the model reads of a job posting to rank courses: each term's count, a part's
    terms counting by how probably it states the job (its probability to the power
    `part_power`), so that a sentence of boilerplate the reader half believes weighs little."""
    if not config.read_parts:
        return dict(Counter(posting_tokens(title, description, config, reader)))
    counts: dict[str, float] = defaultdict(float)
    for token in _kept(text_tokens(title, config), config):
        counts[token] += config.title_weight
    for tokens, weight in weighted_parts(description, config, reader):
        for token in tokens:
            counts[token] += weight
    if not counts:  # nothing reads as the job: read it all
        return dict(Counter(_kept(text_tokens(description, config), config)))
    return counts


def weighted_parts(description: str, config: RecommenderConfig,
                   reader: PostingReader) -> list[tuple[list[str], float]]:
    """The tokens of each part that may state the job, with its weight."""
    return [(_kept(text_tokens(scored.part.text, config), config),
             scored.job ** config.part_power)
            for scored in reader.read(description) if scored.job >= config.part_floor]


def _kept(tokens: list[str], config: RecommenderConfig) -> list[str]:
    if config.posting_stop_words:
        return [t for t in tokens if t not in POSTING_STOP_WORDS]
    return tokens


def course_tokens(course: Course, config: RecommenderConfig) -> list[str]:
    skills = text_tokens(" ".join(course.skills), config) * config.skills_weight
    title = text_tokens(course.title, config) * config.title_weight
    return title + text_tokens(course.description, config) + skills


def text_tokens(text: str, config: RecommenderConfig) -> list[str]:
    return analyze(text, stemmed=config.stem)
