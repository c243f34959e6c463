"""Robustness to boilerplate: the dev postings with 2,000-18,000 characters of real
boilerplate appended, prepended or interleaved, answered beside the clean postings.

The boilerplate is sampled from the shared postings' non-job parts (the paragraphs that
headings such as "About us", "Benefits", "Equal opportunity", "How to apply" open), of the
postings the posting reader's classifier never learned from, one seed per run. Reported per
mode: the share of postings that keep at least 4 of their top 5 courses, the median top-5
overlap, the share that keep the same tag set, the mean overlap (Jaccard) of the top 10 skills,
and nDCG@10 / P@5 on the dev judgments with
and without boilerplate.

    python -m bench.robustness [--store models] [--seed 1] [--out bench/results/robustness]
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Sequence
from pathlib import Path

from bench.common import SHARED, percentiles, save
from pipelines.judgments import Query, load_qrels, load_queries
from runtime.bundles import resolve_bundle
from runtime.errors import ComponentMissingError, PostingError
from runtime.loaded import LoadedBundle, load_bundle
from runtime.schemas import RecommendRequest, SkillsRequest, TagsRequest
from training.boilerplate import MODES, Noise, boilerplate_blocks
from training.metrics import ranking_metrics
from training.reader.fit import held_out
from training.sources import load_corpus

MIN_CHARS, MAX_CHARS = 2_000, 18_000
LONG_POSTING_CHARS = 20_000
SKILLS_K = 10


Answers = tuple[list[str], set[str], set[str]]  # courses, tags, skills (empty: no skill model)


def answers(bundle: LoadedBundle, title: str, text: str) -> Answers | None:
    try:
        courses = bundle.recommend(RecommendRequest(title=title, description=text, k=50))
        tags = bundle.tags(TagsRequest(title=title, description=text))
        skills = _skills(bundle, title, text)
    except PostingError:
        return None
    return [c.id for c in courses.courses], {t.tag for t in tags.tags}, skills


def _skills(bundle: LoadedBundle, title: str, text: str) -> set[str]:
    try:
        found = bundle.skills(SkillsRequest(title=title, description=text, k=SKILLS_K))
    except ComponentMissingError:
        return set()
    return {skill.uri for skill in found.skills}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def run(bundle: LoadedBundle, queries: Sequence[Query], qrels: dict, noise: Noise,
        seed: int) -> list[dict]:
    clean = {q.qid: answers(bundle, q.title, q.text) for q in queries}
    answered = [q for q in queries if clean[q.qid] is not None]
    clean_rankings = {q.qid: clean[q.qid][0] for q in answered}  # type: ignore[index]
    rows = [{"mode": "clean", "postings": len(answered), "top5_kept_4+": 1.0,
             "median_top5_overlap": 5.0, "same_tags": 1.0, "skill_overlap": 1.0,
             **_quality(clean_rankings, qrels)}]
    for mode in MODES:
        rng = random.Random(f"{seed}:{mode}")
        kept, overlaps, same, skill_overlaps, rankings = [], [], [], [], {}
        for query in answered:
            noisy = answers(bundle, query.title, noise.add(query.text, mode, rng))
            ranking, tags, skills = noisy if noisy is not None else ([], set(), set())
            before, tags_before, skills_before = clean[query.qid]  # type: ignore[misc]
            overlap = len(set(ranking[:5]) & set(before[:5]))
            overlaps.append(overlap)
            kept.append(overlap >= 4)
            same.append(tags == tags_before)
            skill_overlaps.append(_jaccard(skills, skills_before))
            rankings[query.qid] = ranking
        rows.append({"mode": mode, "postings": len(answered),
                     "top5_kept_4+": sum(kept) / len(kept),
                     "median_top5_overlap": float(statistics.median(overlaps)),
                     "same_tags": sum(same) / len(same),
                     "skill_overlap": statistics.fmean(skill_overlaps),
                     **_quality(rankings, qrels)})
    return rows


def long_posting_latency(bundle: LoadedBundle, queries: Sequence[Query], noise: Noise,
                         chars: int = LONG_POSTING_CHARS, runs: int = 3) -> list[dict]:
    """In-process latency of each model on postings grown to `chars` with boilerplate."""
    import time

    rng = random.Random("latency")
    postings = []
    for query in queries:
        text = query.text
        while len(text) < chars:
            text = noise.add(text, rng.choice(MODES), rng)
        postings.append((query.title, text[:chars]))
    calls = {"recommend": lambda t, d: bundle.recommend(RecommendRequest(title=t, description=d)),
             "tags": lambda t, d: bundle.tags(TagsRequest(title=t, description=d)),
             "skills": lambda t, d: bundle.skills(SkillsRequest(title=t, description=d))}
    rows = []
    for name, call in calls.items():
        seconds = []
        for _ in range(runs):
            for title, text in postings:
                started = time.perf_counter()
                try:
                    call(title, text)
                except (PostingError, ComponentMissingError):
                    continue
                seconds.append(time.perf_counter() - started)
        if seconds:
            rows.append({"model": name, "chars": chars, **percentiles(seconds)})
    return rows


def _quality(rankings: dict[str, list[str]], qrels: dict) -> dict[str, float]:
    metrics = ranking_metrics(rankings, qrels)
    return {"ndcg@10": metrics["ndcg@10"], "p@5": metrics["p@5"]}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/results/robustness"))
    args = parser.parse_args(argv)
    bundle = load_bundle(resolve_bundle(args.store))
    jobs = SHARED / "jobs"
    sources = [jobs / "indeed_tags_dev.tsv", jobs / "indeed_unlabeled.tsv",
               *sorted((jobs / "glassdoor").glob("*.csv"))]
    noise = Noise(boilerplate_blocks(filter(held_out, load_corpus(sources))),
                  MIN_CHARS, MAX_CHARS)
    judgments = SHARED / "judgments"
    rows = run(bundle, load_queries(judgments / "queries_dev.jsonl"),
               load_qrels(judgments / "qrels_dev.jsonl"), noise, args.seed)
    save(rows, f"Boilerplate robustness, bundle {bundle.version}, seed {args.seed} "
         f"({len(noise.blocks)} boilerplate blocks)", args.out, "mode",
         ["top5_kept_4+", "same_tags", "skill_overlap", "ndcg@10", "p@5"],
         ylabel="share / score", digits=3)
    latency = long_posting_latency(bundle, load_queries(judgments / "queries_dev.jsonl"), noise)
    save(latency, f"In-process latency per {LONG_POSTING_CHARS:,}-character posting",
         args.out.with_name(args.out.name + "_latency"), "model", ["p50_ms", "p99_ms"])


if __name__ == "__main__":
    main()
