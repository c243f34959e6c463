"""What `careerpath train` reads: the data and parameters of every component, given on the
command line or, to refit a component, read back from its record in a bundle's manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.components import NAMES

EVERY_MODEL = "all"


@dataclass
class TrainingInputs:
    """Everything `careerpath train` reads; which parts are needed depends on the components.
    `parameters`: a component's parameters by its name, as its record keeps them (they
    override the defaults and a configuration file)."""

    courses: Path | None = None
    corpus: Sequence[Path | str] = ()
    jobs: str | None = None
    unlabeled: Sequence[str] = ()
    postings: Sequence[str] = ()
    recommend_config: Path | None = None
    tags_config: Path | None = None
    hold_out: float = 0.2  # the share of labeled postings that scores the tag model
    taxonomy: Path | None = None
    occupations: Path | None = None
    skill_judgments: Path | None = None
    encoder: str = "auto"
    path_floor: float = 0.6  # the confidence a course needs to enter a learning path
    judgments: Path | None = None
    seed: int | None = None
    models: Sequence[str] = field(default_factory=lambda: (EVERY_MODEL,))
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def every_model(self) -> bool:
        return EVERY_MODEL in self.models

    @property
    def reader_postings(self) -> list[str]:
        """What the reader learns from: the postings given for it, else every job source."""
        if self.postings:
            return list(self.postings)
        return [str(source) for source in [self.jobs, *self.unlabeled] if source]

    def trains(self, name: str) -> bool:
        """`train all` trains the reader, the recommender and the tag model, the skill
        extractor when a taxonomy is given, and the path planner when judgments are too."""
        if not self.every_model:
            return name in self.models
        return {"skills": self.taxonomy is not None,
                "path": self.taxonomy is not None and self.judgments is not None}.get(name, True)

    def asked(self) -> list[str]:
        return [name for name in NAMES if self.trains(name)]

    def check(self) -> None:
        """Refuse bad inputs before any model trains (`all` trains the reader first)."""
        needs = {"reader": (self.reader_postings, "--postings (or --jobs / --unlabeled)"),
                 "recommend": (self.courses, "--courses"), "tags": (self.jobs, "--jobs"),
                 "skills": (self.taxonomy, "--taxonomy (ESCO skills JSONL)"),
                 "path": (self.judgments, "--judgments")}
        for name in self.asked():
            given, flag = needs[name]
            if not given:
                raise ValueError(f"training the {name} component needs {flag}")
        if not 0 <= self.hold_out < 1:
            raise ValueError(f"--hold-out {self.hold_out}: a share of the postings, at least "
                             "0, below 1")
        missing = [str(path) for path in self.files() if not Path(path).exists()]
        if missing:
            raise ValueError(f"not found: {', '.join(missing)}")

    def files(self) -> list[Path | str]:
        """The input files the asked components read (SQL sources are not files)."""
        wanted: dict[str, list[Path | str | None]] = {
            "reader": list(self.reader_postings), "recommend": [self.courses, *self.corpus],
            "tags": [self.jobs, *self.unlabeled],
            "skills": [self.taxonomy, self.courses, self.occupations, self.skill_judgments,
                       *self.corpus, *self.unlabeled],
            "path": [self.judgments]}
        return [path for name in self.asked() for path in wanted[name]
                if path is not None and "://" not in str(path)]
