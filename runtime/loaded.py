"""A bundle loaded for answering postings: the one inference path that the API, the batch
command line and Spark share, so all three answer a posting alike."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from runtime.bundles import Manifest, read_manifest
from runtime.components import load_available
from runtime.errors import ComponentMissingError, UnknownTextError, UnreadableTextError
from runtime.language import LanguageGuard
from runtime.path import Candidate, PathPlanner, plan_path
from runtime.reader import PostingReader
from runtime.recommend import Filters, Ranking, Recommender
from runtime.schemas import (
    CourseOut,
    PathCourse,
    PathRequest,
    PathResponse,
    Posting,
    PostingSkill,
    RecommendRequest,
    RecommendResponse,
    SkillOut,
    SkillsRequest,
    SkillsResponse,
    TagOut,
    TagsRequest,
    TagsResponse,
)
from runtime.skills import Skill, SkillExtractor, SkillMatch
from runtime.tags import TagModel

SMOKE_POSTING = ("Data Analyst", "Analyse data with SQL and Python; full-time; salary.")
POSTING_SKILLS = 20  # a posting's skills that courses are matched against
MARKUP = re.compile(r"<[^>]*>|&#?\w+;")
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more
NOTHING_KNOWN = ("nothing in the catalog fits this job: no word of the posting is one the "
                 "catalog's courses use")


@dataclass(frozen=True)
class LoadedBundle:
    version: str
    path: Path
    manifest: Manifest
    reader: PostingReader
    recommender: Recommender | None
    tagger: TagModel | None
    skill_extractor: SkillExtractor | None
    planner: PathPlanner | None
    language: LanguageGuard
    loaded_at: datetime
    unavailable: dict[str, str] = field(default_factory=dict)  # component -> why

    @property
    def watermark(self) -> int:
        return self.manifest.feedback_watermark

    def require_recommender(self) -> Recommender:
        if self.recommender is None:
            raise ComponentMissingError(f"bundle {self.version} has no recommender")
        return self.recommender

    def require_tagger(self) -> TagModel:
        if self.tagger is None:
            raise ComponentMissingError(f"bundle {self.version} has no tag model")
        return self.tagger

    def require_skills(self) -> SkillExtractor:
        if self.skill_extractor is None:
            raise ComponentMissingError(f"bundle {self.version} has no skill extractor"
                                        + self._why("skills"))
        return self.skill_extractor

    def _why(self, name: str) -> str:
        return f": {self.unavailable[name]}" if name in self.unavailable else ""

    def check_posting(self, posting: Posting) -> None:
        """What every endpoint, batch item and `predict` line asks of a posting: words once
        its markup is removed (else `UnreadableTextError`), in English (else
        `NotEnglishError`). Readable text that no model knows gets empty, explained answers."""
        if not any(WORD.search(MARKUP.sub(" ", text))
                   for text in (posting.title, posting.description)):
            raise UnreadableTextError("the posting holds no words once its markup is removed; "
                                      "send the job's title and description as text or HTML")
        self.language.check(posting.title, posting.description)

    def recommend(self, request: RecommendRequest) -> RecommendResponse:
        recommender = self.require_recommender()
        self.check_posting(request)
        filters = Filters(**request.filters.known()) if request.filters else None
        try:
            ranking = recommender.ranking(request.title, request.description, request.k,
                                          filters)
        except UnknownTextError:
            return RecommendResponse(model_version=self.version, courses=[],
                                     explanation=NOTHING_KNOWN)
        wanted = self._posting_skills(request, POSTING_SKILLS)
        taught = [self._taught(r.course.id, wanted) for r in ranking.courses]
        confidence = self._confidence(ranking, taught)
        courses = []
        for r, skills_taught, sure in zip(ranking.courses, taught, confidence, strict=True):
            if request.min_confidence is not None and (sure or 0.0) < request.min_confidence:
                continue
            reason = ("Teaches " + ", ".join(s.label for s in skills_taught[:4])
                      + " from the posting") if skills_taught else r.reason
            courses.append(CourseOut(
                id=r.course.id, title=r.course.title, provider=r.course.provider,
                level=r.course.level, url=r.course.url, score=r.score, reason=reason,
                skills=skills_taught, confidence=sure))
        likeliest = max((c for c in confidence if c is not None), default=None)
        return RecommendResponse(model_version=self.version, courses=courses,
                                 explanation=self._nothing_fits(likeliest, wanted))

    def _confidence(self, ranking: Ranking, taught: list[list[SkillOut]]) -> list[float | None]:
        if self.planner is None:
            return [None] * len(ranking.courses)
        sure = self.planner.calibration.probabilities(ranking, [len(t) for t in taught])
        return [round(float(p), 4) for p in sure]

    def _nothing_fits(self, likeliest: float | None, wanted: list[SkillMatch]) -> str | None:
        """Why nothing in the catalog fits the job, in the job's terms, when nothing does:
        no course is as likely to be relevant as a path's floor asks."""
        if self.planner is None or likeliest is None or likeliest >= self.planner.floor:
            return None
        teaching = self.skill_extractor.teaching() if self.skill_extractor else frozenset()
        untaught = [m.skill.label for m in wanted if m.skill.uri not in teaching]
        return (f"nothing in the catalog fits this job: its likeliest course has confidence "
                f"{likeliest:.2f}, under {self.planner.floor:.2f}"
                + (f"; no course teaches {_listed(untaught)}" if untaught else ""))

    def learning_path(self, request: PathRequest) -> PathResponse:
        """The few courses that together cover the job's skills the candidate lacks."""
        recommender, extractor = self.require_recommender(), self.require_skills()
        if self.planner is None:
            raise ComponentMissingError(f"bundle {self.version} has no path planner"
                                        + self._why("path"))
        self.check_posting(request)
        filters = Filters(**request.filters.known()) if request.filters else None
        try:
            ranking = recommender.ranking(request.title, request.description,
                                          self.planner.candidates, filters)
        except UnknownTextError:
            return PathResponse(model_version=self.version, courses=[], covered=[],
                                uncovered=[], already_have=[], explanation=NOTHING_KNOWN)
        job = {m.skill.uri: m for m in self._posting_skills(request,
                                                             self.planner.posting_skills)}
        have = self._profile_skills(request, extractor) & job.keys()
        needed = {uri: max(m.score, 0.0) for uri, m in job.items() if uri not in have}
        taught = [self._taught(r.course.id, list(job.values())) for r in ranking.courses]
        sure = self.planner.calibration.probabilities(ranking, [len(t) for t in taught])
        by_id = {r.course.id: r for r in ranking.courses}
        candidates = [Candidate(r.course.id, r.course.title, r.course.level, float(p),
                                frozenset(s.uri for s in t))
                      for r, t, p in zip(ranking.courses, taught, sure, strict=True)]
        path = plan_path(candidates, needed, request.max_courses, self.planner.floor,
                         skills_found=bool(job))
        teaching = extractor.teaching()
        out = [self._skill_out(job[uri].skill) for uri in job]
        courses, seen = [], set()
        for c in path.courses:
            course = by_id[c.id].course
            teaches = [s for s in out if s.uri in c.skills and s.uri in needed]
            courses.append(PathCourse(
                id=c.id, title=c.title, provider=course.provider, level=c.level,
                url=course.url, score=by_id[c.id].score, confidence=round(c.confidence, 4),
                skills=teaches, adds=[s for s in teaches if s.uri not in seen]))
            seen |= {s.uri for s in teaches}
        return PathResponse(
            model_version=self.version, courses=courses,
            covered=[s for s in out if s.uri in path.covered],
            uncovered=[s for s in out if s.uri in needed and s.uri not in teaching],
            already_have=[s for s in out if s.uri in have],
            explanation=None if path.courses else self._why_empty(job, needed, candidates))

    def _why_empty(self, job: dict, needed: dict[str, float],
                   candidates: list[Candidate]) -> str:
        if job and not needed:
            return "the profile already covers every skill found in the posting"
        best = max((c.confidence for c in candidates), default=0.0)
        return self._nothing_fits(best, list(job.values())) or (
            "no course adds a skill of this job that the profile lacks")

    def _profile_skills(self, request: PathRequest, extractor: SkillExtractor) -> set[str]:
        if request.profile is None:
            return set()
        named = {s.uri for s in extractor.resolve(request.profile.skills)}
        if request.profile.text.strip():
            named |= {m.skill.uri for m in extractor.extract("", request.profile.text,
                                                             POSTING_SKILLS, read_parts=False)}
        return named

    @staticmethod
    def _skill_out(skill: Skill) -> SkillOut:
        return SkillOut(uri=skill.uri, label=skill.label)

    def _posting_skills(self, posting: Posting, k: int) -> list[SkillMatch]:
        if self.skill_extractor is None or not self.skill_extractor.course_skills:
            return []
        return self.skill_extractor.extract(posting.title, posting.description, k)

    def skills_taught_by(self, course_id: str) -> list[SkillOut]:
        """Every skill the course teaches, as the skill extractor found them."""
        if self.skill_extractor is None:
            return []
        return [self._skill_out(skill) for skill in self.skill_extractor.resolve(
            sorted(self.skill_extractor.taught_by(course_id)))]

    def _taught(self, course_id: str, wanted: list[SkillMatch]) -> list[SkillOut]:
        """The posting's skills that the course teaches, the posting's strongest first."""
        if not wanted or self.skill_extractor is None:
            return []
        teaches = self.skill_extractor.taught_by(course_id)
        return [SkillOut(uri=m.skill.uri, label=m.skill.label) for m in wanted
                if m.skill.uri in teaches]

    def skills(self, request: SkillsRequest) -> SkillsResponse:
        extractor = self.require_skills()
        self.check_posting(request)
        found = extractor.extract(request.title, request.description, request.k)
        return SkillsResponse(model_version=self.version, skills=[
            PostingSkill(uri=m.skill.uri, label=m.skill.label, score=m.score,
                         evidence=m.evidence) for m in found], explanation=None if found else
            "no part of the posting asks for a skill careerpath knows with enough certainty")

    def tags(self, request: TagsRequest) -> TagsResponse:
        """The tags the text states, where the JobPosting's own properties do not state
        them otherwise."""
        tagger = self.require_tagger()
        self.check_posting(request)
        chosen, scores = tagger.predict(request.title, request.description, request.threshold)
        tags, overruled = request.stated.apply([(s.tag, s.score) for s in chosen])
        return TagsResponse(model_version=self.version,
                            tags=[TagOut(tag=tag, score=score, source=source)
                                  for tag, score, source in tags],
                            scores=scores if request.include_scores else None,
                            overruled=overruled)


def load_bundle(path: Path, language: LanguageGuard | None = None) -> LoadedBundle:
    """Load and check a bundle: each model must answer a smoke posting."""
    manifest = read_manifest(path)
    models, unavailable = load_available(path)
    recommender, tagger = models.get("recommend"), models.get("tags")
    skill_extractor = models.get("skills")
    if recommender is None and tagger is None and skill_extractor is None:
        raise ValueError(f"bundle {path} holds no model")
    if recommender is not None:
        recommender.recommend(*SMOKE_POSTING, k=1)
    if tagger is not None:
        tagger.predict(*SMOKE_POSTING)
    if skill_extractor is not None:
        skill_extractor.extract(*SMOKE_POSTING, k=1)
    return LoadedBundle(manifest.version, path, manifest, models["reader"], recommender, tagger,
                        skill_extractor, models.get("path"), language or LanguageGuard(),
                        datetime.now(UTC), unavailable)


def _listed(labels: list[str], most: int = 5) -> str:
    """"a, b and c" (and how many more)."""
    shown = labels[:most]
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return text + (f" ({len(labels) - most} more)" if len(labels) > most else "")
