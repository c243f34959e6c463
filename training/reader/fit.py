"""Fits the posting reader's sentence classifier (`runtime/reader`): which parts of a posting
state the job's work, its terms, or neither. The labels come from the postings themselves
(distant supervision): a part sitting under a heading whose words say what it is
("Responsibilities", "Benefits", "Job Type", "About us") is an example of that kind. The
classifier learns the parts' own words, so it reads parts with no heading and parts pasted
under the wrong one.

Postings are split by a hash of their id: the classifier learns from four fifths and is
scored on the rest; `bench/robustness.py` samples its boilerplate from that fifth only."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from pipelines.records import Job
from pipelines.segment import KINDS, Part, split_parts
from runtime.reader import PostingReader, hashed_features

HELD_OUT_FRACTION = 0.2
HEADING_WEIGHT = 2.0
C = 2.0
DOUBT = 0.2


def held_out(job: Job) -> bool:
    """Whether a posting is in the fifth the classifier never learns from."""
    digest = hashlib.sha1(f"parts:{job.id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < HELD_OUT_FRACTION


def labeled_parts(jobs: Sequence[Job]) -> list[Part]:
    """Every part whose heading says what it is."""
    return [part for job in jobs for part in split_parts(job.description)
            if part.heading_kind is not None]


def fit(parts: Sequence[Part]) -> tuple[np.ndarray, float, int]:
    """(kernel, bias) of a logistic regression over the parts' hashed terms for "states the
    job", the two kinds weighted equally (job parts outnumber the rest), and how many parts
    it left out. A heading's reach is a guess (where a section ends is not marked), so some
    labels are wrong: a part whose label regressions fitted without it find unlikely
    (below `DOUBT`) is left out of the final fit."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    x = hashed_features([part.text for part in parts])
    labels = np.array([part.heading_kind == "job" for part in parts])
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    out_of_fold = cross_val_predict(model, x, labels, cv=5, method="predict_proba")
    trusted = out_of_fold[np.arange(len(labels)), labels.astype(int)] >= DOUBT
    model.fit(x[trusted], labels[trusted])
    return (model.coef_[0].astype(np.float32), float(model.intercept_[0]),
            int((~trusted).sum()))


def fit_reader(parts: Sequence[Part]) -> tuple[PostingReader, int]:
    """The reader learned from headed parts, the weights kept at the precision they are
    saved with (so that models trained in the same run read as they will be served), and
    how many labels it doubted."""
    kernel, bias, doubted = fit(parts)
    return PostingReader(kernel.astype(np.float16), bias, HEADING_WEIGHT), doubted


def score(reader: PostingReader, parts: Sequence[Part]) -> dict[str, object]:
    """Per kind precision and recall on parts, read without their headings' help."""
    reader = PostingReader(reader.kernel, reader.bias, heading_weight=0.0)
    predicted = np.array(["job" if s.job >= 0.5 else "other" for s in reader.score(parts)])
    truth = np.array([part.heading_kind for part in parts])
    report: dict[str, object] = {"parts": len(parts),
                                 "accuracy": round(float((predicted == truth).mean()), 4)}
    for kind in KINDS:
        hits = float(((predicted == kind) & (truth == kind)).sum())
        report[kind] = {"support": int((truth == kind).sum()),
                        "precision": round(hits / max(1, (predicted == kind).sum()), 4),
                        "recall": round(hits / max(1, (truth == kind).sum()), 4)}
    return report
