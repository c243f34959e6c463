"""The skill matcher's calibration: a logistic regression from a candidate's features to the
probability that a posting asks for the skill, fitted on postings whose candidate skills were
graded (2 or 1: asked for; 0: not; ungraded candidates are left out), and the probability a
skill needs to be returned, chosen out of fold (folds by posting) as the highest at which
postings still get `MIN_RETURNED` skills on average (the fewest a job board's page needs,
and beyond them precision comes first), and never below one half: a skill returned is more
likely asked for than not."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from runtime.logistic import Logistic
from runtime.skills.model import FEATURES, SkillExtractor

FOLDS = 5
MIN_RETURNED = 6.0
THRESHOLDS = np.round(np.arange(0.5, 0.96, 0.05), 2)
# Without graded postings: a skill is as likely as its best part is near it, and likelier
# when that part names it (not calibrated: a guess with the features' roles as they fit on
# the graded postings of the shared data).
UNCALIBRATED = Logistic(FEATURES, (4.0, 4.0, 0.0, 1.5, 0.0, 1.0, -1.5, 0.3, -0.3, 0.5, 0.5),
                        -6.0,
                        tuple(0.0 for _ in FEATURES), tuple(1.0 for _ in FEATURES))


@dataclass(frozen=True)
class GradedPosting:
    id: str
    title: str
    description: str
    grades: dict[str, int]  # skill URI -> 0, 1 or 2


def read_graded_postings(directory: Path) -> list[GradedPosting]:
    """postings_dev.jsonl ({id, title, description}) and posting_judgments_dev.jsonl
    ({id, uri, rel})."""
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    with (directory / "posting_judgments_dev.jsonl").open(encoding="utf-8") as handle:
        for line in filter(str.strip, handle):
            row = json.loads(line)
            grades[str(row["id"])][str(row["uri"])] = int(row["rel"])
    postings = []
    with (directory / "postings_dev.jsonl").open(encoding="utf-8") as handle:
        for line in filter(str.strip, handle):
            row = json.loads(line)
            if str(row["id"]) in grades:
                postings.append(GradedPosting(str(row["id"]), row.get("title") or "",
                                              row["description"], grades[str(row["id"])]))
    return postings


@dataclass
class Candidates:
    """One posting's candidate skills (their columns), their features and best parts, and
    their grades (None: ungraded)."""

    posting: str
    columns: np.ndarray
    features: np.ndarray
    best_part: np.ndarray
    grades: list[int | None]


def candidates(extractor: SkillExtractor, postings: Sequence[GradedPosting]) -> list[Candidates]:
    found = []
    for posting in postings:
        columns, table, best_part = extractor.features(
            extractor.read(posting.title, posting.description), every_context=True)
        grades = [posting.grades.get(extractor.skills[c].uri) for c in columns]
        found.append(Candidates(posting.id, columns, table, best_part, grades))
    return found


def fold_of(posting: str) -> int:
    return int(hashlib.sha1(f"skills:{posting}".encode()).hexdigest(), 16) % FOLDS


def fit(extractor: SkillExtractor, postings: Sequence[GradedPosting]
        ) -> tuple[Logistic, float, dict]:
    """(calibration, threshold, report): the report has the out-of-fold figures."""
    found = candidates(extractor, postings)
    out_of_fold: dict[str, np.ndarray] = {}
    for fold in range(FOLDS):
        model = _fit([c for c in found if fold_of(c.posting) != fold])
        out_of_fold |= {c.posting: model.probabilities(c.features) for c in found
                        if fold_of(c.posting) == fold}
    sweep = {float(t): returned_figures(extractor, found, out_of_fold, t) for t in THRESHOLDS}
    enough = [t for t, f in sweep.items() if f["returned"] >= MIN_RETURNED]
    threshold = max(enough) if enough else min(sweep)
    report = {"postings": len(found), "graded_candidates": int(sum(
        g is not None for c in found for g in c.grades)),
        "threshold": threshold, "out_of_fold": sweep[threshold],
        "sweep": {str(t): f for t, f in sweep.items()}}
    return _fit(found), threshold, report


def _fit(found: Sequence[Candidates]) -> Logistic:
    rows = [(f, g >= 1) for c in found for f, g in zip(c.features, c.grades, strict=True)
            if g is not None]
    x = np.array([f for f, _ in rows])
    y = np.array([label for _, label in rows])
    if len(set(y)) < 2:
        raise ValueError("the graded postings need skills graded both asked for and not")
    return Logistic.fit(FEATURES, x, y)


def returned_figures(extractor: SkillExtractor, found: Sequence[Candidates],
                     probabilities: dict[str, np.ndarray], threshold: float,
                     cap: int = 10) -> dict[str, float]:
    """What postings get at `threshold`: precision among the graded returned skills (rel >=
    1), strict (rel = 2), raw (ungraded as not asked for), how many are returned, the share
    left ungraded and the share of postings whose first skill is graded not asked for."""
    returned = graded = asked = strict = wrong_first = 0
    for c in found:
        order = extractor.choose(c.columns, c.features, c.best_part, probabilities[c.posting],
                                 cap, threshold)
        grades = [c.grades[i] for i in order]
        returned += len(order)
        graded += sum(g is not None for g in grades)
        asked += sum(g is not None and g >= 1 for g in grades)
        strict += sum(g == 2 for g in grades)
        wrong_first += bool(grades) and grades[0] == 0
    return {"graded_precision": round(asked / max(graded, 1), 3),
            "graded_strict": round(strict / max(graded, 1), 3),
            "precision": round(asked / max(returned, 1), 3),
            "returned": round(returned / max(len(found), 1), 2),
            "ungraded": round(1 - graded / max(returned, 1), 3),
            "first_wrong": round(wrong_first / max(len(found), 1), 3)}
