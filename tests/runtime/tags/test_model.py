from __future__ import annotations

import json

import numpy as np
import pytest

from pipelines.jobs import read_jobs
from runtime.tags import load_tags, save_tags
from runtime.tags.features import (
    ENGINEERED_NAMES,
    TagFeaturizer,
    hour_buckets,
    lowest_degree,
    scale,
    year_features,
)
from runtime.tags.model import HEAD_WEIGHTS, LINEAR_WEIGHTS, TagModel
from tests.conftest import SAMPLE
from training.tags.data import fit_scaling, postings


def _featurizer() -> TagFeaturizer:
    """Features of the whole posting: these tests are about the features, not the reading."""
    return TagFeaturizer(None, part_threshold=None)


NURSE = ("Nurse", "Part-time RN, $30 per hour. Valid license and 1 year of experience required.")


def test_hashing_maps_unseen_words_into_the_fixed_space():
    featurizer = _featurizer()
    rows = featurizer.hashed([("", "flurbotronic quasiwidget engineer")])
    assert rows.shape == (1, 2**15) and rows.nnz > 0
    assert np.isclose(np.linalg.norm(rows.toarray()), 1.0)


def test_hashing_is_scikit_learns_feature_hashing():
    from sklearn.feature_extraction.text import HashingVectorizer

    featurizer = _featurizer()
    pairs = postings(read_jobs(SAMPLE / "jobs.jsonl")[0][:50]) + [("", "x"), ("C++", "ünïcode")]
    ours = featurizer.hashed(pairs)
    reference = HashingVectorizer(analyzer=lambda terms: terms, n_features=2**15,
                                  alternate_sign=False, binary=True, norm="l2")
    theirs = reference.transform([featurizer.terms(t, d) for t, d in pairs])
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=1e-6)


def test_small_amounts_are_not_thousands():
    values = _featurizer().engineered([("", "$15/hr, $18 an hour, $45,000 or $60k, $ 12")])
    counts = dict(zip(ENGINEERED_NAMES, np.expm1(values[0]).round(), strict=True))
    assert counts["small_amount"] == 3 and counts["big_amount"] == 2


def test_text_statistics_count_words_punctuation_capitals_and_stop_words():
    posting = ("Senior  Nurse", "<p>The RN, an expert &amp; ÉLITE carer!</p>\u00a0Ünïcode: A")
    values = _featurizer().engineered([posting])[0]
    statistics = dict(zip(ENGINEERED_NAMES, np.expm1(values).round(3), strict=False))
    text = "The RN, an expert & ÉLITE carer!\nÜnïcode: A"
    assert statistics["chars"] == len(text) and statistics["words"] == 9
    assert statistics["punctuation"] == 4  # , & ! :
    assert statistics["upper_case_words"] == 2  # RN, ÉLITE; not the one-letter A
    assert statistics["stop_words"] == 3  # the, an, a
    assert statistics["title_words"] == 2


def test_engineered_features_find_requirement_details():
    values = dict(zip(ENGINEERED_NAMES, _featurizer().engineered([NURSE])[0], strict=True))
    assert values["part_time"] > 0 and values["hourly"] > 0 and values["licence"] > 0
    assert values["years_1"] > 0 and values["salary"] == 0 and values["years_5_plus"] == 0
    assert year_features("3-5 years, at least 7 yrs, six months, 12 months")[0] \
        == [1, 1, 1, 1]


def test_graduate_degree_is_the_degree_not_ms_office_or_maryland():
    names = ENGINEERED_NAMES.index("graduate_degree"), ENGINEERED_NAMES.index("master_phd")
    office, degree = np.expm1(_featurizer().engineered([
        ("", "MS Office and Excel; Baltimore, MD"),
        ("", "Master's degree in nursing or PhD"),
    ])[:, names]).round()
    assert list(office) == [0, 2] and list(degree) == [2, 2]


def test_most_years_is_the_largest_experience_requirement():
    def most_years(text: str) -> list[int]:
        return year_features(text)[1]

    assert most_years("2 years of acute care experience; 1 year of experience in ICU") \
        == [0, 0, 1, 0]
    assert most_years("At least 6 months of work history, 1-2 yrs preferred") == [0, 1, 0, 0]
    assert most_years("Serving clients for 15 years. Top reps with 1 year of service") \
        == [0, 0, 0, 0]


def test_lowest_degree_is_the_least_schooling_named():
    def lowest(text: str) -> list[int]:
        return lowest_degree(text.lower())

    assert lowest("High school diploma required; bachelor's degree preferred") == [1, 0, 0, 0]
    assert lowest("An associate or bachelors degree in marketing") == [0, 1, 0, 0]
    assert lowest("BS in nursing required, MSN preferred") == [0, 0, 1, 0]
    assert lowest("Master's degree in social work") == [0, 0, 0, 1]
    assert lowest("Our associates love it here; college degree a plus") == [0, 0, 0, 0]


def test_hours_a_week_fall_in_buckets_by_their_lower_bound():
    assert hour_buckets("20-25 hours a week; 10 hr/wk") == [2, 0, 0]
    assert hour_buckets("30 hrs per week, 45+ hours per week, 40 hours/week") == [0, 1, 2]
    assert hour_buckets("8 hours a day, 40 hours of training, $30 per hour") == [0, 0, 0]


def test_scaling_zeroes_features_that_never_varied_and_clips_outliers():
    training = np.array([[1.0, 0.0, 5.0], [3.0, 0.0, 5.0], [2.0, 0.0, 5.0]], dtype=np.float32)
    mean, deviation = fit_scaling(training)
    scaled = scale(np.array([[2.0, 3.0, 9.0], [900.0, 0.0, 5.0]], dtype=np.float32), mean,
                   deviation)
    np.testing.assert_allclose(scaled, [[0.0, 0.0, 0.0], [5.0, 0.0, 0.0]])


@pytest.mark.parametrize(("statement", "word"), [
    ("This is a part-time position.", "posit"),
    ("Base pay is $40,000 a year plus commission.", "commiss"),
    ("Paid $25/hour plus tips.", "tip"), ("Requires 3+ years of retail experience.", "retail"),
    ("You must have a valid CDL license.", "cdl")])
def test_a_part_stating_a_term_is_read_however_the_reader_doubts_it(reader, statement, word):
    posting = ("Responsibilities:\nStock shelves and help customers.\n\nWhat we offer:\n"
               f"Medical, dental and vision insurance, paid time off and a 401(k); {statement}")
    reading, ignoring = (TagFeaturizer(reader, read_terms=flag) for flag in (True, False))
    assert any(statement in p.part.text and p.job < reading.part_threshold
               for p in reader.read(posting))
    assert word in reading.terms("", posting)
    assert word not in ignoring.terms("", posting)


def test_talk_that_states_no_term_is_not_read(reader):
    posting = ("Responsibilities:\nStock shelves.\n\nBenefits:\nA competitive salary and "
               "flexible hours. We have been in business for 26 years.")
    assert "competit" not in TagFeaturizer(reader).terms("", posting)


def test_a_title_does_not_unsettle_a_model_trained_without_titles(sample_jobs, reader):
    """Indeed's labeled postings have no titles, but the service's callers send them."""
    from tests.conftest import TINY_TAGS
    from training.tags.config import TagTrainingConfig
    from training.tags.trainer import TagTrainer

    untitled = [job.model_copy(update={"title": ""}) for job in sample_jobs]
    model, _ = TagTrainer(TagTrainingConfig.from_dict(TINY_TAGS), reader,
                          progress=False).fit(untitled)
    descriptions = [job.description for job in sample_jobs[:40]]
    bare = model.predict_proba([("", d) for d in descriptions])
    titled = model.predict_proba([("Senior Registered Nurse, Night Shift", d)
                                  for d in descriptions])
    assert np.abs(titled - bare).mean() < 0.05

def test_numpy_inference_matches_keras_to_1e5(tag_model, tag_trainer):
    import keras  # noqa: F401 - training-only dependency, present in the test environment

    from training.tags.config import TagTrainingConfig

    jobs = read_jobs(SAMPLE / "jobs.jsonl")[0] + read_jobs(SAMPLE / "unlabeled.jsonl")[0]
    pairs = postings(jobs[:100])
    classifiers = tag_trainer.keras_classifiers(tag_model)
    assert len(classifiers) == tag_model.heads == 1 + TagTrainingConfig().threshold_folds
    hashed, engineered = tag_model.features(pairs)
    w = tag_model.weights
    scaled = scale(engineered, w["engineered/mean"], w["engineered/std"])
    from_keras = np.mean([classifier.predict([hashed, scaled], verbose=0)
                          for classifier in classifiers], axis=0)
    from_numpy, _ = tag_model.members(hashed, engineered)
    assert from_numpy.shape == (100, 12)
    np.testing.assert_allclose(from_numpy, from_keras, atol=1e-5)


def test_the_linear_member_is_blended_in_by_its_share(tag_model):
    pairs = postings(read_jobs(SAMPLE / "jobs.jsonl")[0][:50])
    network, linear = tag_model.members(*tag_model.features(pairs))
    assert linear is not None and tag_model.linear_share == 0.5
    assert np.abs(network - linear).max() > 0.05  # two models, not one twice
    np.testing.assert_allclose(tag_model.predict_proba(pairs), (network + linear) / 2, atol=1e-6)
    without = TagModel(tag_model.tags, tag_model.thresholds,
                       {name: value for name, value in tag_model.weights.items()
                        if name not in LINEAR_WEIGHTS}, tag_model.featurizer)
    assert without.linear_share == 0  # as bundles from before the linear member load
    np.testing.assert_allclose(without.predict_proba(pairs), network, atol=1e-6)


def test_an_ensemble_serves_the_mean_of_its_heads(tag_model):
    pairs = postings(read_jobs(SAMPLE / "jobs.jsonl")[0][:50])
    singles = [TagModel(tag_model.tags, tag_model.thresholds,
                        {name: value[head] if name in HEAD_WEIGHTS else value
                         for name, value in tag_model.weights.items()}, tag_model.featurizer)
               for head in range(tag_model.heads)]
    each = np.stack([single.predict_proba(pairs) for single in singles])
    assert tag_model.heads > 1 and np.abs(each - each[0]).max() > 0.01
    np.testing.assert_allclose(tag_model.predict_proba(pairs), each.mean(axis=0), atol=1e-6)


def test_thresholds_are_tuned_and_applied(tag_model):
    assert tag_model.thresholds.shape == (12,)
    assert not np.allclose(tag_model.thresholds, 0.5)
    chosen, scores = tag_model.predict(*NURSE)
    for tag, threshold in zip(tag_model.tags, tag_model.thresholds, strict=True):
        assert (tag in {s.tag for s in chosen}) == (scores[tag] >= threshold)
    assert len(tag_model.predict(*NURSE, threshold=0.0)[0]) == 12


def test_learns_the_sample_tags(tag_model, tag_model_and_report):
    report = tag_model_and_report[1]
    assert report.validation["micro_f1"] > 0.8
    posting = ("Registered Nurse",
               "Join a friendly workplace with room to grow. We are looking for a Registered "
               "Nurse to assess patients and record vital signs. You will administer medication "
               "safely and educate patients and families. Skills we need: triage, wound care, "
               "care planning. We are hiring for a part-time shift, evenings and weekends. "
               "Pay: $21.50 per hour. We offer paid time off and tuition reimbursement. We are "
               "an equal opportunity employer and consider all qualified applicants.")
    chosen = {s.tag for s in tag_model.predict(*posting)[0]}
    assert {"part-time-job", "hourly-wage"} <= chosen and "salary" not in chosen


def test_autoencoder_is_reported_against_trivial_baselines(tag_model_and_report):
    quality = tag_model_and_report[1].autoencoder
    assert quality["bce"] < quality["bce_zeros_baseline"]
    assert {"bce_mean_baseline", "recall_at_n", "recall_at_n_mean_baseline"} <= set(quality)


@pytest.mark.parametrize("text", ["", "x" * 200_000, "Se busca enfermera con licencia.",
                                  "看護師募集 経験3年以上"])
def test_empty_huge_and_non_english_text_do_not_break_inference(tag_model, text):
    _, scores = tag_model.predict("", text)
    assert len(scores) == 12 and all(0.0 <= p <= 1.0 for p in scores.values())


def test_save_load_roundtrip(tag_model, reader, tmp_path):
    save_tags(tag_model, tmp_path)
    loaded = load_tags(tmp_path, reader)
    assert loaded.tags == tag_model.tags
    np.testing.assert_array_equal(loaded.thresholds, tag_model.thresholds)
    np.testing.assert_allclose(loaded.predict_proba([NURSE]), tag_model.predict_proba([NURSE]))


def test_a_bundle_naming_features_this_code_lacks_is_refused(tag_model, reader, tmp_path):
    save_tags(tag_model, tmp_path)
    meta = json.loads((tmp_path / "tags.json").read_text())
    meta["engineered_features"].append("emoji_count")
    (tmp_path / "tags.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="emoji_count"):
        load_tags(tmp_path, reader)
