"""A bundle loaded for answering postings: the one inference path that the API, the batch
command line and Spark share, so all three answer a posting alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from runtime.bundles import Manifest, read_manifest
from runtime.components import load_available
from runtime.errors import ComponentMissingError
from runtime.language import LanguageGuard
from runtime.path import Candidate, PathPlanner, plan_path
from runtime.reader import PostingReader
from runtime.recommend import Filters, Recommendation, Recommender
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

    def check_language(self, posting: Posting) -> None:
        self.language.check(posting.title, posting.description)

    def recommend(self, request: RecommendRequest) -> RecommendResponse:
        recommender = self.require_recommender()
        self.check_language(request)
        filters = Filters(**request.filters.model_dump()) if request.filters else None
        found = recommender.recommend(request.title, request.description, request.k, filters)
        wanted = self._posting_skills(request, POSTING_SKILLS)
        taught = [self._taught(r.course.id, wanted) for r in found]
        confidence = self._confidence(found, taught)
        courses = []
        for r, skills_taught, sure in zip(found, taught, confidence, strict=True):
            if request.min_confidence is not None and (sure or 0.0) < request.min_confidence:
                continue
            reason = ("Teaches " + ", ".join(s.label for s in skills_taught[:4])
                      + " from the posting") if skills_taught else r.reason
            courses.append(CourseOut(
                id=r.course.id, title=r.course.title, provider=r.course.provider,
                level=r.course.level, url=r.course.url, score=r.score, reason=reason,
                skills=skills_taught, confidence=sure))
        return RecommendResponse(model_version=self.version, courses=courses)

    def _confidence(self, found: list[Recommendation],
                    taught: list[list[SkillOut]]) -> list[float | None]:
        if self.planner is None:
            return [None] * len(found)
        sure = self.planner.calibration.confidence([r.score for r in found],
                                                   [len(t) for t in taught])
        return [round(float(p), 4) for p in sure]

    def learning_path(self, request: PathRequest) -> PathResponse:
        """The few courses that together cover the job's skills the candidate lacks."""
        recommender, extractor = self.require_recommender(), self.require_skills()
        if self.planner is None:
            raise ComponentMissingError(f"bundle {self.version} has no path planner"
                                        + self._why("path"))
        self.check_language(request)
        filters = Filters(**request.filters.model_dump()) if request.filters else None
        found = recommender.recommend(request.title, request.description,
                                      self.planner.candidates, filters)
        job = {m.skill.uri: m for m in self._posting_skills(request,
                                                             self.planner.posting_skills)}
        have = self._profile_skills(request, extractor) & job.keys()
        needed = {uri: max(m.score, 0.0) for uri, m in job.items() if uri not in have}
        taught = [self._taught(r.course.id, list(job.values())) for r in found]
        sure = self.planner.calibration.confidence([r.score for r in found],
                                                   [len(t) for t in taught])
        candidates = [Candidate(r.course.id, r.course.title, r.course.level, float(p),
                                frozenset(s.uri for s in t))
                      for r, t, p in zip(found, taught, sure, strict=True)]
        path = plan_path(candidates, needed, request.max_courses, self.planner.floor,
                         skills_found=bool(job))
        teaching = extractor.teaching()
        out = [self._skill_out(job[uri].skill) for uri in job]
        return PathResponse(
            model_version=self.version,
            courses=[PathCourse(id=c.id, title=c.title, level=c.level,
                                score=round(c.confidence, 4),
                                skills=[s for s in out if s.uri in c.skills and s.uri in needed])
                     for c in path.courses],
            covered=[s for s in out if s.uri in path.covered],
            uncovered=[s for s in out if s.uri in needed and s.uri not in teaching],
            already_have=[s for s in out if s.uri in have],
            explanation=None if path.courses else self._why_empty(job, needed, candidates))

    def _why_empty(self, job: dict, needed: dict[str, float],
                   candidates: list[Candidate]) -> str:
        assert self.planner is not None
        if job and not needed:
            return "the profile already covers every skill found in the posting"
        best = max((c.confidence for c in candidates), default=0.0)
        return (f"no course in the catalog is likely enough to be relevant to this job: the "
                f"most likely has confidence {best:.2f}, under the floor of "
                f"{self.planner.floor:.2f}")

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

    def _taught(self, course_id: str, wanted: list[SkillMatch]) -> list[SkillOut]:
        """The posting's skills that the course teaches, the posting's strongest first."""
        if not wanted or self.skill_extractor is None:
            return []
        teaches = self.skill_extractor.taught_by(course_id)
        return [SkillOut(uri=m.skill.uri, label=m.skill.label) for m in wanted
                if m.skill.uri in teaches]

    def skills(self, request: SkillsRequest) -> SkillsResponse:
        extractor = self.require_skills()
        self.check_language(request)
        found = extractor.extract(request.title, request.description, request.k)
        return SkillsResponse(model_version=self.version, skills=[
            PostingSkill(uri=m.skill.uri, label=m.skill.label, score=m.score,
                         evidence=m.evidence) for m in found])

    def tags(self, request: TagsRequest) -> TagsResponse:
        tagger = self.require_tagger()
        self.check_language(request)
        chosen, scores = tagger.predict(request.title, request.description, request.threshold)
        return TagsResponse(model_version=self.version,
                            tags=[TagOut(tag=s.tag, score=s.score) for s in chosen],
                            scores=scores if request.include_scores else None)


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
