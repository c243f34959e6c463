"""Fits the posting reader's sentence classifier (`pipelines/parts.py`): which parts of a
posting state the job's work, its terms, or neither. The labels come from the postings
themselves (distant supervision): a part sitting under a heading whose words say what it is
("Responsibilities", "Benefits", "Job Type", "About us") is an example of that kind. The
classifier learns the parts' own words, so it reads parts with no heading and parts pasted
under the wrong one.

    python -m training.parts [--out pipelines/parts_model.npz] SOURCE ...

Postings are split by a hash of their id: the classifier learns from four fifths and is
scored on the rest; `bench/robustness.py` samples its boilerplate from that fifth only."""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipelines.parts import (
    HASHED_FEATURES,
    KINDS,
    MODEL_FILE,
    Part,
    hashed_features,
    split_parts,
)
from pipelines.records import Job
from training.bundle import data_hashes
from training.sources import load_corpus

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


def score(kernel: np.ndarray, bias: float, parts: Sequence[Part]) -> dict[str, object]:
    """Per kind precision and recall on parts, read without their headings' help."""
    from pipelines.parts import PostingReader

    reader = PostingReader(kernel, bias, heading_weight=0.0)
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


# Headings of what is plainly not the job: benefits, the company, equal opportunity, how to
# apply, legal notices (at the heading's start: "Sales Representative - Legal" is a job).
NOT_THE_JOB = re.compile(
    r"^(\W*)(benefits?|perks?|(what )?we offer|about (us|the company)|"
    r"about (?!you|the|this|your)[A-Z]|who we are|our (company|story|mission|values|culture)|"
    r"company (overview|description|profile|background|info)|"
    r"equal (employment )?opportunit|eeo|diversity|how to apply|"
    r"application (process|instructions)|to apply|disclaimer|legal|why (join|work))",
    re.IGNORECASE)
_PARAGRAPH = re.compile(r"\n\s*\n|[ \t]{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
BLOCK_SENTENCES = 3
_HEADED = re.compile(r"^([A-Z][\w&/'’ ,.-]{1,50}?):\s*(.*)$", re.DOTALL)


def boilerplate_blocks(jobs: Iterable[Job]) -> list[str]:
    """The first sentences of the paragraphs that such a heading opens. A heading's reach is
    cut short: read further, a "Company overview" often runs on into the duties where the
    posting marks no new heading, and another job's duties are no boilerplate."""
    blocks = []
    for job in jobs:
        paragraphs = [p.strip() for p in _PARAGRAPH.split(job.description) if p.strip()]
        for index, paragraph in enumerate(paragraphs):
            first, *rest = paragraph.splitlines()
            headed = _HEADED.match(first.strip())
            heading = headed[1] if headed else first.strip()
            if len(heading.split()) > 5 or not NOT_THE_JOB.match(heading):
                continue
            body = "\n".join(([headed[2]] if headed and headed[2] else []) + rest)
            if not body.strip() and index + 1 < len(paragraphs):
                body = paragraphs[index + 1]
            sentences = _SENTENCE_END.split(" ".join(body.split()))
            if len(body) > 40:
                blocks.append(f"{heading}:\n" + " ".join(sentences[:BLOCK_SENTENCES]))
    return blocks


MODES = ("append", "prepend", "interleave")


@dataclass(frozen=True)
class Noise:
    """Real boilerplate added to postings: appended, prepended or interleaved (each block its
    own paragraph, between two of the posting's lines), `min_chars` to `max_chars` of it."""

    blocks: list[str]
    min_chars: int = 2_000
    max_chars: int = 18_000

    def sample(self, rng: random.Random) -> list[str]:
        target, chosen, size = rng.randint(self.min_chars, self.max_chars), [], 0
        while size < target:
            block = rng.choice(self.blocks)
            chosen.append(block)
            size += len(block)
        return chosen

    def add(self, text: str, mode: str, rng: random.Random) -> str:
        blocks = self.sample(rng)
        if mode == "append":
            return text + "\n\n" + "\n\n".join(blocks)
        if mode == "prepend":
            return "\n\n".join(blocks) + "\n\n" + text
        lines = text.splitlines()
        for block in blocks:  # each its own paragraph, between two of the posting's lines
            lines.insert(rng.randint(0, len(lines)), f"\n{block}\n")
        return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", help="posting files (TSV, CSV, JSONL)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    jobs = load_corpus(args.sources)
    learn = [job for job in jobs if not held_out(job)]
    test = [job for job in jobs if held_out(job)]
    kernel, bias, doubted = fit(labeled_parts(learn))
    report = {"held_out": score(kernel, bias, labeled_parts(test)),
              "postings": {"learned_from": len(learn), "held_out": len(test)},
              "labels_left_out_as_doubtful": doubted,
              "parameters": {"C": C, "heading_weight": HEADING_WEIGHT, "doubt": DOUBT,
                             "hashed_features": HASHED_FEATURES},
              "data": data_hashes(args.sources)}
    np.savez_compressed(args.out, kernel=kernel.astype(np.float16), bias=np.float32(bias),
                        heading_weight=np.float32(HEADING_WEIGHT))
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["held_out"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
