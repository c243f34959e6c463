"""Scores a skill extractor on the skill-extraction benchmark's validation splits (posting
sentences labeled with ESCO skills; Decorte et al. 2022), beside a TF-IDF baseline computed
in the same run: R-Precision@K, the relevant skills in the top K over min(K, the sentence's
gold skills), averaged over sentences. Writes a Markdown report and a chart."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from runtime.bundles import resolve_bundle
from runtime.components import load_component
from runtime.ranking import top_k
from runtime.skills import SkillExtractor
from training.charts import metric_bars
from training.metrics import r_precision_at_k

NOT_A_SKILL = ("LABEL NOT PRESENT", "UNDERSPECIFIED")
SPLITS = ("tech", "house")
KS = (5, 10)
Ranker = Callable[[Sequence[str]], list[list[str]]]  # sentences -> ranked skill labels


def read_benchmark(path: Path) -> dict[str, set[str]]:
    """Each sentence's gold skills (preferred labels); sentences that name none are left out."""
    gold: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["label"] not in NOT_A_SKILL:
                gold[row["sentence"]].add(row["label"])
    return dict(gold)


def extractor_ranker(extractor: SkillExtractor, depth: int = max(KS)) -> Ranker:
    def rank(sentences: Sequence[str]) -> list[list[str]]:
        scores = extractor.scores(sentences)
        return [[extractor.skills[i].label for i in top_k(row, depth)] for row in scores]

    return rank


def tfidf_baseline(extractor: SkillExtractor, texts: Sequence[str],
                   depth: int = max(KS)) -> Ranker:
    """TF-IDF cosine of word 1-2-grams between the sentence and each skill's full text
    (scikit-learn's defaults otherwise): the first anchor of the skills issue."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    labels = [skill.label for skill in extractor.skills]

    def rank(sentences: Sequence[str]) -> list[list[str]]:
        scores = (vectorizer.transform(sentences) @ matrix.T).toarray()
        return [[labels[i] for i in top_k(row, depth)] for row in scores]

    return rank


def score(ranker: Ranker, gold: dict[str, set[str]]) -> dict[str, float]:
    sentences = list(gold)
    rankings = ranker(sentences)
    return {f"rp@{k}": float(np.mean([r_precision_at_k(r, gold[s], k)
                                      for s, r in zip(sentences, rankings, strict=True)]))
            for k in KS}


def systems(extractor: SkillExtractor, skill_texts: Sequence[str]) -> dict[str, Ranker]:
    """The extractor, each of its signals alone (what each adds), and the baseline."""
    alone = {signal: replace(extractor.config, words_weight=float(signal == "words"),
                             chars_weight=float(signal == "chars"),
                             meaning_weight=float(signal == "meaning"))
             for signal in ("words", "chars", "meaning")}
    return {
        f"careerpath (words + chars + meaning, {extractor.config.encoder} vectors)":
            extractor_ranker(extractor),
        **{f"its {signal} signal alone": extractor_ranker(extractor.with_config(config))
           for signal, config in alone.items()},
        "baseline: TF-IDF word 1-2-grams, sentence vs skill text":
            tfidf_baseline(extractor, skill_texts),
    }


def evaluate_bundle(bundle: Path, benchmark: Path, taxonomy: Path, out_dir: Path) -> Path:
    """`careerpath evaluate skills`: RP@5 and RP@10 per validation split."""
    from training.skills.taxonomy import read_taxonomy

    bundle = resolve_bundle(bundle)
    extractor = load_component(bundle, "skills")
    texts = {s.uri: s.text for s in read_taxonomy(taxonomy)[0]}
    skill_texts = [texts.get(skill.uri, skill.label) for skill in extractor.skills]
    golds = {split: read_benchmark(benchmark / f"{split}_validation.csv") for split in SPLITS}
    results = {name: {split: score(ranker, gold) for split, gold in golds.items()}
               for name, ranker in systems(extractor, skill_texts).items()}
    report = write_report(results, {split: len(g) for split, g in golds.items()}, out_dir,
                          f"Skill extraction, bundle {bundle.name}")
    print(report.read_text())
    return report


def write_report(results: dict[str, dict[str, dict[str, float]]], sizes: dict[str, int],
                 out_dir: Path, title: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = [f"{split} rp@{k}" for split in SPLITS for k in KS]
    lines = [f"# {title}", "",
             "R-Precision@K on the validation sentences that name an ESCO skill ("
             + ", ".join(f"{split}: {n}" for split, n in sizes.items()) + ").", "",
             "| system | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, by_split in results.items():
        cells = [f"{by_split[split][f'rp@{k}']:.3f}" for split in SPLITS for k in KS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    report = out_dir / "skills_report.md"
    report.write_text("\n".join(lines) + "\n")
    flat = {name: {f"{split} RP@{k}": scores[split][f"rp@{k}"] for split in SPLITS for k in KS}
            for name, scores in results.items()}
    metric_bars(flat, list(next(iter(flat.values()))),
                "Skill extraction on the benchmark's validation splits",
                out_dir / "skills_report.png")
    return report


