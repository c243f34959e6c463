"""`careerpath train`: fit the asked models and write them into one new live bundle (the other
models are carried over from the live one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from runtime.bundles import BundleStore
from training.bundle import Component, write_bundle

MODELS = ("recommend", "tags")


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
    judgments: Path | None = None
    seed: int | None = None
    models: Sequence[str] = field(default_factory=lambda: MODELS)

    def check(self) -> None:
        """Refuse bad inputs before any model trains: `all` trains the recommender first."""
        if "recommend" in self.models and not self.courses:
            raise ValueError("training the recommender needs --courses")
        if "tags" in self.models:
            if not self.jobs:
                raise ValueError("training the tag model needs --jobs")
            if not 0 <= self.hold_out < 1:
                raise ValueError(f"--hold-out {self.hold_out}: a share of the postings, at "
                                 "least 0, below 1")


def train(store: Path, inputs: TrainingInputs) -> Path:
    """Fit `inputs.models` and write them into a new bundle of `store`, which goes live."""
    inputs.check()
    components: list[Component] = []
    if "recommend" in inputs.models:
        from training.recommend.train import config_from, recommender_component

        assert inputs.courses is not None
        config = config_from(inputs.recommender_config, seed=inputs.seed)
        components.append(recommender_component(inputs.courses, inputs.corpus, config,
                                                inputs.judgments)[0])
    if "tags" in inputs.models:
        from training.tags.train import tags_component

        assert inputs.jobs is not None
        components.append(tags_component(inputs.jobs, inputs.unlabeled, seed=inputs.seed,
                                         test_fraction=inputs.hold_out,
                                         config_path=inputs.tags_config))
    return write_bundle(BundleStore(store), components)
