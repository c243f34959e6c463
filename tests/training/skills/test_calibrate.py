import numpy as np

from runtime.skills.model import FEATURES
from tests.conftest import SAMPLE
from training.skills.calibrate import MIN_RETURNED, THRESHOLDS, fit, read_graded_postings


def test_the_calibration_is_scored_out_of_fold_and_sets_the_threshold(skill_extractor_and_report):
    report = skill_extractor_and_report[1].calibration
    assert report["postings"] == 52 and report["graded_candidates"] > 500
    figures = report["out_of_fold"]
    assert figures["graded_precision"] >= 0.8 and figures["ungraded"] < 1
    threshold = report["threshold"]
    assert threshold in THRESHOLDS and threshold >= 0.5
    higher = [t for t in THRESHOLDS if t > threshold]
    assert figures["returned"] >= MIN_RETURNED or threshold == min(THRESHOLDS)
    assert all(report["sweep"][str(t)]["returned"] < MIN_RETURNED for t in higher)


def test_naming_a_skill_makes_it_likelier(skill_extractor):
    calibration, _, _ = fit(skill_extractor, read_graded_postings(SAMPLE / "skill_judgments"))
    row = np.array([calibration.mean])
    named = row.copy()
    named[0, FEATURES.index("named")] = 1.0
    named[0, FEATURES.index("coverage")] = 1.0
    assert calibration.probabilities(named)[0] > calibration.probabilities(row)[0]
