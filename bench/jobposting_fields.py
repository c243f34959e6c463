"""Do a schema.org JobPosting's requirement properties help? The dev postings reshaped as a
board's JSON-LD often is: the sections under requirement and duty headings moved out of the
`description` into `qualifications` and `responsibilities`. Each is answered three ways:
- `plain`: the original `{title, description}`;
- `jobposting`: the JobPosting with its properties, read as careerpath reads them;
- `description only`: the same JobPosting with those properties dropped, as a service that
  reads `title` and `description` alone would see it.
Reported per way: nDCG@10 / P@5 on the dev judgments, and against `plain` the share of
postings keeping at least 4 of their top 5 courses, the same tag set, and the top-10 skill
overlap. Only postings with such a section to move are counted.

    python -m bench.jobposting_fields [--store models] [--out bench/results/jobposting_fields]
"""

from __future__ import annotations

import argparse
import re
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import SHARED, save
from pipelines.judgments import Query, load_qrels, load_queries
from pipelines.segment import split_parts
from runtime.bundles import resolve_bundle
from runtime.errors import ComponentMissingError, PostingError
from runtime.loaded import LoadedBundle, load_bundle
from runtime.schemas import RecommendRequest, SkillsRequest, TagsRequest
from training.metrics import ranking_metrics

# the JobPosting property a headed section goes to, by its heading's words (first match)
PROPERTY_OF_HEADING = (
    ("responsibilities", re.compile(r"respons|\bduties\b|\bfunctions\b|\btasks?\b|"
                                    r"\bwhat you('ll| will)? do\b|\bday to day\b", re.I)),
    ("qualifications", re.compile(r"require|qualification|\bskills?\b|\bexperience\b|"
                                  r"\beducation\b|\bmust\b|\bpreferred\b|\bdesired\b|"
                                  r"\bwho you are\b|\babout you\b|\blooking for\b|"
                                  r"\bnice to have\b|\bbonus\b|\bcompetenc|\blicen[cs]|"
                                  r"\bcertific|\bknowledge", re.I)),
)
WAYS = ("plain", "jobposting", "description only")
SKILLS_K = 10

Answers = tuple[list[str], set[str], set[str]]


def as_job_posting(query: Query) -> dict[str, Any] | None:
    """The posting as JSON-LD with its requirement and duty sections in their properties;
    None when it has no such section (or nothing else would be left of the description)."""
    moved: dict[str, list[str]] = {}
    kept: list[str] = []
    heading = None
    for part in split_parts(query.text):
        target = next((name for name, pattern in PROPERTY_OF_HEADING
                       if part.heading and pattern.search(part.heading)), None)
        if target:
            moved.setdefault(target, []).append(part.text)
            continue
        if part.heading != heading and part.heading:
            kept.append(f"\n{part.heading}:")
        heading = part.heading
        kept.append(part.text)
    if not moved or not kept:
        return None
    return {"@context": "https://schema.org", "@type": "JobPosting", "title": query.title,
            "description": "\n".join(kept).strip(),
            **{name: "\n".join(texts) for name, texts in moved.items()}}


def answers(bundle: LoadedBundle, body: dict[str, Any]) -> Answers | None:
    try:
        courses = bundle.recommend(RecommendRequest.model_validate({**body, "k": 10}))
        tags = bundle.tags(TagsRequest.model_validate(body))
        try:
            skills = {s.uri for s in bundle.skills(
                SkillsRequest.model_validate({**body, "k": SKILLS_K})).skills}
        except ComponentMissingError:
            skills = set()
    except PostingError:
        return None
    return [c.id for c in courses.courses], {t.tag for t in tags.tags}, skills


def run(bundle: LoadedBundle, queries: Sequence[Query], qrels: dict) -> list[dict]:
    bodies: dict[str, dict[str, dict[str, Any]]] = {}
    for query in queries:
        posting = as_job_posting(query)
        if posting is not None:
            only = {key: posting[key] for key in ("@context", "@type", "title", "description")}
            bodies[query.qid] = {"plain": {"title": query.title, "description": query.text},
                                 "jobposting": posting, "description only": only}
    found = {qid: {way: answers(bundle, body) for way, body in ways.items()}
             for qid, ways in bodies.items()}
    answered = [qid for qid, ways in found.items() if all(ways.values())]
    rows = []
    for way in WAYS:
        kept, same, overlap = [], [], []
        for qid in answered:
            courses, tags, skills = found[qid][way]  # type: ignore[misc]
            plain_courses, plain_tags, plain_skills = found[qid]["plain"]  # type: ignore[misc]
            kept.append(len(set(courses[:5]) & set(plain_courses[:5])) >= 4)
            same.append(tags == plain_tags)
            union = skills | plain_skills
            overlap.append(len(skills & plain_skills) / len(union) if union else 1.0)
        rankings = {qid: found[qid][way][0] for qid in answered}  # type: ignore[index]
        metrics = ranking_metrics(rankings, qrels)
        rows.append({"way": way, "postings": len(answered), "ndcg@10": metrics["ndcg@10"],
                     "p@5": metrics["p@5"], "top5_kept_4+": statistics.fmean(kept),
                     "same_tags": statistics.fmean(same),
                     "skill_overlap": statistics.fmean(overlap)})
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--out", type=Path, default=Path("bench/results/jobposting_fields"))
    args = parser.parse_args(argv)
    bundle = load_bundle(resolve_bundle(args.store))
    judgments = SHARED / "judgments"
    queries = load_queries(judgments / "queries_dev.jsonl")
    rows = run(bundle, queries, load_qrels(judgments / "qrels_dev.jsonl"))
    save(rows, f"JobPosting requirement properties, bundle {bundle.version} "
         f"({rows[0]['postings']} of {len(queries)} dev postings have sections to move)",
         args.out, "way", ["ndcg@10", "p@5", "top5_kept_4+", "same_tags", "skill_overlap"],
         ylabel="score / share", digits=3)


if __name__ == "__main__":
    main()
