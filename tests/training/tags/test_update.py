from __future__ import annotations

import numpy as np
import pytest

from pipelines.jobs import read_jobs
from pipelines.records import Job
from runtime.tags import load_tags, save_tags
from runtime.tags.features import ENGINEERED_NAMES, HOUR_BUCKETS, TagFeaturizer
from tests.conftest import SAMPLE, TINY_TAGS
from training.metrics import multilabel_metrics
from training.tags.config import TagTrainingConfig
from training.tags.data import label_matrix, postings, split_by_id
from training.tags.trainer import NewTagError, TagTrainer

# The update keeps a model's thresholds, however they were tuned: the quick validation-share
# tuning spares these tests the out-of-fold classifiers.
QUICK = {**TINY_TAGS, "threshold_folds": 0}


def _micro_f1(model, jobs):
    truth = label_matrix(jobs, model.tags)
    return multilabel_metrics(truth, model.decide(model.predict_proba(postings(jobs))),
                              model.tags)["micro_f1"]


@pytest.fixture(scope="module")
def split():
    jobs = read_jobs(SAMPLE / "jobs.jsonl")[0]
    old, new = split_by_id(jobs, 0.3, "update-test")
    old_train, old_test = split_by_id(old, 0.25, "update-holdout")
    return old_train, old_test, new


def test_update_keeps_old_quality_and_learns_new_postings(split, reader):
    old_train, old_test, new = split
    trainer = TagTrainer(TagTrainingConfig.from_dict(QUICK), reader, progress=False)
    model, _ = trainer.fit(old_train)
    before_old = _micro_f1(model, old_test)
    replay = old_train[: len(new)]
    updated = trainer.update(model, new, replay, validation=old_test, epochs=5)
    assert updated is not model and updated.tags == model.tags
    np.testing.assert_array_equal(updated.thresholds, model.thresholds)
    assert _micro_f1(updated, old_test) >= before_old - 0.05
    assert _micro_f1(updated, new) >= _micro_f1(model, new) - 0.02


def test_a_new_tag_needs_a_full_retrain(split, tag_model, tag_trainer):
    novel = Job(id="x", description="Remote role", tags=["remote-job"])
    trainer = tag_trainer
    with pytest.raises(NewTagError, match="remote-job"):
        trainer.update(tag_model, [novel], [], validation=[])


def test_a_model_from_before_a_feature_was_added_still_serves_and_updates(split, reader,
                                                                           tmp_path):
    """A bundle names the engineered features it was trained on; code that computes more
    serves it, and continues its training, on those."""
    old_train, old_test, new = split
    earlier = TagFeaturizer(reader, engineered=[n for n in ENGINEERED_NAMES
                                                if n not in HOUR_BUCKETS])
    config = TagTrainingConfig.from_dict(QUICK)
    model, _ = TagTrainer(config, reader, earlier, progress=False).fit(old_train)
    save_tags(model, tmp_path)
    loaded = load_tags(tmp_path, reader)
    assert loaded.featurizer == earlier != TagFeaturizer(reader)
    np.testing.assert_allclose(loaded.predict_proba(postings(old_test)),
                               model.predict_proba(postings(old_test)), atol=1e-6)
    with pytest.raises(ValueError, match="other features"):
        TagTrainer(config, reader, progress=False).update(loaded, new, [], validation=old_test)
    updated = TagTrainer(config, reader, loaded.featurizer, progress=False).update(
        loaded, new, old_train[: len(new)], validation=old_test, epochs=2)
    assert updated.featurizer == earlier


def test_only_the_main_head_stops_early_and_the_others_train_as_long(split, tag_model, reader,
                                                                     monkeypatch):
    """The out-of-fold heads were trained on the validation postings, so early stopping on
    them would only be fooled: they train the main head's best number of epochs."""
    _, old_test, new = split
    trainer = TagTrainer(TagTrainingConfig.from_dict(TINY_TAGS), reader, progress=False)
    calls = []
    train = trainer.train_classifier

    def spy(classifier, inputs, truth, validation, positive_weight, epochs):
        history = train(classifier, inputs, truth, validation, positive_weight, epochs)
        calls.append((validation is not None, epochs, history))
        return history

    monkeypatch.setattr(trainer, "train_classifier", spy)
    updated = trainer.update(tag_model, new, [], validation=old_test, epochs=4)
    assert updated.heads == tag_model.heads == len(calls) > 1
    main_validated, _, main_history = calls[0]
    best = int(np.argmin(main_history["val_loss"])) + 1
    assert main_validated
    assert all(not validated and epochs == best and len(history["loss"]) == best
               for validated, epochs, history in calls[1:])
