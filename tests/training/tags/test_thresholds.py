from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import TINY_TAGS
from training.tags import ensemble
from training.tags import trainer as trainer_module
from training.tags.config import TagTrainingConfig
from training.tags.data import label_matrix, postings
from training.tags.trainer import TagTrainer


def _loss(probabilities: np.ndarray, truth: np.ndarray) -> float:
    p = np.clip(probabilities, 1e-7, 1 - 1e-7)
    return float(-np.mean(truth * np.log(p) + (1 - truth) * np.log(1 - p)))


def test_thresholds_are_tuned_on_out_of_fold_predictions(sample_jobs, reader, monkeypatch):
    """Every labeled posting enters the threshold tuning, each scored by classifiers that did
    not train on it: the network's and the linear member's out-of-fold probabilities, blended
    by the member's share as they serve. They fit the labels less closely than the final
    model's own, which trained on most of those postings."""
    seen: dict[str, np.ndarray] = {}
    fit_linear, out_of_fold, tune = (ensemble.fit_linear_member, ensemble.out_of_fold,
                                     trainer_module.tune_thresholds)

    def spy_linear(*args, **kwargs):
        weights, seen["linear"] = fit_linear(*args, **kwargs)
        return weights, seen["linear"]

    def spy_network(*args, **kwargs):
        seen["network"], members = out_of_fold(*args, **kwargs)
        return seen["network"], members

    def spy_tune(probabilities, truth):
        assert "blend" not in seen  # tuned once
        seen["blend"], seen["truth"] = probabilities, truth
        return tune(probabilities, truth)

    monkeypatch.setattr(ensemble, "fit_linear_member", spy_linear)
    monkeypatch.setattr(ensemble, "out_of_fold", spy_network)
    monkeypatch.setattr(trainer_module, "tune_thresholds", spy_tune)
    config = TagTrainingConfig.from_dict({**TINY_TAGS, "threshold_folds": 3,
                                          "linear_share": 0.25})
    model, report = TagTrainer(config, reader, progress=False).fit(sample_jobs)

    truth = seen["truth"]
    assert seen["blend"].shape == (len(sample_jobs), len(model.tags))
    np.testing.assert_array_equal(truth, label_matrix(sample_jobs, model.tags))
    np.testing.assert_allclose(seen["blend"], 0.75 * seen["network"] + 0.25 * seen["linear"],
                               atol=1e-6)
    np.testing.assert_array_equal(model.thresholds, tune(seen["blend"], truth))
    network, linear = model.members(*model.features(postings(sample_jobs)))
    assert model.linear_share == 0.25 and linear is not None
    assert _loss(seen["network"], truth) > _loss(network, truth)
    assert _loss(seen["linear"], truth) > _loss(linear, truth)
    assert report.best_epoch >= 1 and report.validation["micro_f1"] > 0.7
    assert model.heads == 1 + 3  # the main classifier and the three folds' serve together


def test_the_linear_share_is_a_weight_below_one():
    assert TagTrainingConfig(linear_share=0.0).linear_share == 0
    with pytest.raises(ValueError, match="linear_share"):
        TagTrainingConfig(linear_share=1.0)


def test_without_threshold_folds_the_validation_postings_set_the_thresholds(sample_jobs, reader,
                                                                          monkeypatch):
    sizes: list[int] = []
    original = trainer_module.tune_thresholds

    def spy(probabilities, truth):
        sizes.append(len(truth))
        return original(probabilities, truth)

    monkeypatch.setattr(trainer_module, "tune_thresholds", spy)
    config = TagTrainingConfig.from_dict({**TINY_TAGS, "threshold_folds": 0})
    TagTrainer(config, reader, progress=False).fit(sample_jobs)
    assert len(sizes) == 1 and 0 < sizes[0] < len(sample_jobs) / 3


def test_a_fine_tuned_encoder_is_refused_only_where_heads_would_share_it():
    with pytest.raises(ValueError, match="ensemble=False"):
        TagTrainingConfig(freeze_encoder=False)
    assert not TagTrainingConfig(freeze_encoder=False, threshold_folds=0).freeze_encoder
    assert not TagTrainingConfig(freeze_encoder=False, ensemble=False).freeze_encoder
