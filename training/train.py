"""`careerpath train`: fit the asked models and write them into one new live bundle (the other
models are carried over from the live one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from runtime.bundles import BundleStore
from runtime.recommend import Recommender
from runtime.skills import SkillExtractor
from training.bundle import Component, write_bundle

MODELS = ("recommend", "tags", "skills", "path")


@dataclass
class TrainingInputs:
    """Everything `careerpath train` reads; which parts are needed depends on the models."""

    courses: Path | None = None
    corpus: Sequence[Path | str] = ()
    jobs: str | None = None
    unlabeled: Sequence[str] = ()
    recommender_config: Path | None = None
    tags_config: Path | None = None
    hold_out: float = 0.2
    taxonomy: Path | None = None
    encoder: str = "auto"
    path_floor: float = 0.6
    judgments: Path | None = None
    seed: int | None = None
    models: Sequence[str] = field(default_factory=lambda: MODELS)

    @property
    def every_model(self) -> bool:
        """`train all`: the skill extractor when a taxonomy is given, the path planner when
        judgments are too."""
        return tuple(self.models) == MODELS

    def trains(self, model: str) -> bool:
        if not self.every_model:
            return model in self.models
        return {"skills": self.taxonomy is not None,
                "path": self.taxonomy is not None and self.judgments is not None}.get(model, True)

    def check(self) -> None:
        """Refuse bad inputs before any model trains: `all` trains the recommender first."""
        if "recommend" in self.models and not self.courses:
            raise ValueError("training the recommender needs --courses")
        if self.trains("path") and not self.judgments:
            raise ValueError("training the path planner needs --judgments")
        if self.trains("skills") and not self.taxonomy:
            raise ValueError("training the skill extractor needs --taxonomy (ESCO skills JSONL)")
        if "tags" in self.models:
            if not self.jobs:
                raise ValueError("training the tag model needs --jobs")
            if not 0 <= self.hold_out < 1:
                raise ValueError(f"--hold-out {self.hold_out}: a share of the postings, at "
                                 "least 0, below 1")


def train(store: Path, inputs: TrainingInputs) -> Path:
    """Fit `inputs.models` and write them into a new bundle of `store`, which goes live. The
    path planner is fitted when judgments are given, on this run's recommender and skill
    extractor or the live bundle's."""
    inputs.check()
    components: list[Component] = []
    recommender = extractor = None
    if "recommend" in inputs.models:
        from training.recommend.train import config_from, recommender_component

        assert inputs.courses is not None
        config = config_from(inputs.recommender_config, seed=inputs.seed)
        component, recommender = recommender_component(inputs.courses, inputs.corpus, config,
                                                       inputs.judgments)
        components.append(component)
    if "tags" in inputs.models:
        from training.tags.train import tags_component

        assert inputs.jobs is not None
        components.append(tags_component(inputs.jobs, inputs.unlabeled, seed=inputs.seed,
                                         test_fraction=inputs.hold_out,
                                         config_path=inputs.tags_config))
    if inputs.trains("skills"):
        from training.skills.train import skills_component

        assert inputs.taxonomy is not None
        component, extractor = skills_component(inputs.taxonomy,
                                                [*inputs.corpus, *inputs.unlabeled],
                                                inputs.courses, inputs.seed, inputs.encoder)
        components.append(component)
    if inputs.trains("path"):
        components.append(_paths_component(store, recommender, extractor, inputs))
    return write_bundle(BundleStore(store), components)


def _paths_component(store: Path, recommender: Recommender | None,
                     extractor: SkillExtractor | None, inputs: TrainingInputs) -> Component:
    from runtime import recommend, skills
    from training.paths.train import paths_component

    live = BundleStore(store).live()
    if recommender is None and live is not None and (live / recommend.COMPONENT).is_dir():
        recommender = recommend.load(live / recommend.COMPONENT)
    if extractor is None and live is not None and (live / skills.COMPONENT).is_dir():
        extractor = skills.load(live / skills.COMPONENT)
    if recommender is None or extractor is None:
        raise ValueError("the path planner needs a recommender and a skill extractor: train "
                         "them in the same run or have them in the live bundle")
    assert inputs.judgments is not None
    return paths_component(recommender, extractor, inputs.judgments, inputs.path_floor)
