"""A bundle loaded for answering postings: the one inference path that the API, the batch
command line and Spark share, so all three answer a posting alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from runtime import recommend, tags
from runtime.bundles import Manifest, read_manifest
from runtime.errors import ComponentMissingError
from runtime.language import LanguageGuard
from runtime.recommend import Filters, Recommender
from runtime.schemas import (
    CourseOut,
    Posting,
    RecommendRequest,
    RecommendResponse,
    TagOut,
    TagsRequest,
    TagsResponse,
)
from runtime.tags import TagModel

SMOKE_POSTING = ("Data Analyst", "Analyse data with SQL and Python; full-time; salary.")


@dataclass(frozen=True)
class LoadedBundle:
    version: str
    path: Path
    manifest: Manifest
    recommender: Recommender | None
    tagger: TagModel | None
    language: LanguageGuard
    loaded_at: datetime

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

    def check_language(self, posting: Posting) -> None:
        self.language.check(posting.title, posting.description)

    def recommend(self, request: RecommendRequest) -> RecommendResponse:
        recommender = self.require_recommender()
        self.check_language(request)
        filters = Filters(**request.filters.model_dump()) if request.filters else None
        found = recommender.recommend(request.title, request.description, request.k, filters)
        courses = [
            CourseOut(id=r.course.id, title=r.course.title, provider=r.course.provider,
                      level=r.course.level, url=r.course.url, score=r.score, reason=r.reason)
            for r in found
        ]
        return RecommendResponse(model_version=self.version, courses=courses)

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
    recommender = tagger = None
    if (path / recommend.COMPONENT).is_dir():
        recommender = recommend.load(path / recommend.COMPONENT)
        recommender.recommend(*SMOKE_POSTING, k=1)
    if (path / tags.COMPONENT).is_dir():
        tagger = tags.load(path / tags.COMPONENT)
        tagger.predict(*SMOKE_POSTING)
    if recommender is None and tagger is None:
        raise ValueError(f"bundle {path} holds no model")
    return LoadedBundle(manifest.version, path, manifest, recommender, tagger,
                        language or LanguageGuard(), datetime.now(UTC))
