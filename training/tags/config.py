"""Every parameter of the tag model's training, stored with the model."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.tags.features import PART_THRESHOLD
from runtime.tags.model import DEEP_LAYERS


@dataclass(frozen=True)
class TagTrainingConfig:
    latent_size: int = 100
    encoder_hidden: int = 256
    hidden: tuple[int, ...] = (256, 128, 128, 64, 32)
    dropout: float = 0.5
    autoencoder_epochs: int = 4
    epochs: int = 60
    patience: int = 8
    batch_size: int = 32
    learning_rate: float = 3e-3
    freeze_encoder: bool = True
    reconstruction_features: int = 2048
    validation_fraction: float = 0.15
    max_positive_weight: float = 5.0
    threshold_folds: int = 4
    # serve the mean of the main classifier and the threshold folds' classifiers
    ensemble: bool = True
    # the linear member's weight in the blend with the network (0: none); it needs the
    # threshold folds' out-of-fold predictions
    linear_share: float = 0.5
    wide_l2: float = 1e-6
    # copies of each labeled posting with real boilerplate added, labeled as the original: the
    # model learns that such text does not change a posting's tags
    boilerplate_copies: int = 1
    # read the parts of a posting that state the job at least this probably (None: all)
    part_threshold: float | None = PART_THRESHOLD
    seed: int = 13

    def __post_init__(self) -> None:
        if len(self.hidden) != DEEP_LAYERS:
            raise ValueError(f"the classifier has exactly {DEEP_LAYERS} hidden layers")
        if self.ensemble and self.threshold_folds > 1 and not self.freeze_encoder:
            raise ValueError("an ensemble's classifiers share one frozen encoder: "
                             "fine-tuning it needs ensemble=False")
        if not 0 <= self.linear_share < 1:
            raise ValueError("linear_share is the linear member's weight: at least 0, below 1")

    @classmethod
    def from_dict(cls, values: dict) -> TagTrainingConfig:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        if "hidden" in known:
            known["hidden"] = tuple(known["hidden"])
        return cls(**known)
