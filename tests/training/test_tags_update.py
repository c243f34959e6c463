from __future__ import annotations

import pytest

from pipelines.jobs import read_jobs
from pipelines.records import Job
from tests.conftest import SAMPLE, TINY_TAGS
from training.metrics import multilabel_metrics
from training.tags import (
    NewTagError,
    TagTrainer,
    TagTrainingConfig,
    label_matrix,
    postings,
    split_by_id,
)


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


def test_update_keeps_old_quality_and_learns_new_postings(split):
    old_train, old_test, new = split
    trainer = TagTrainer(TagTrainingConfig.from_dict(TINY_TAGS), progress=False)
    model, _ = trainer.fit(old_train)
    before_old = _micro_f1(model, old_test)
    replay = old_train[: len(new)]
    updated = trainer.update(model, new, replay, validation=old_test, epochs=5)
    assert updated is not model and updated.tags == model.tags
    assert _micro_f1(updated, old_test) >= before_old - 0.05
    assert _micro_f1(updated, new) >= _micro_f1(model, new) - 0.02


def test_a_new_tag_needs_a_full_retrain(split, tag_model):
    novel = Job(id="x", description="Remote role", tags=["remote-job"])
    trainer = TagTrainer(TagTrainingConfig.from_dict(TINY_TAGS), progress=False)
    with pytest.raises(NewTagError, match="remote-job"):
        trainer.update(tag_model, [novel], [], validation=[])
