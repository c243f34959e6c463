"""`careerpath train paths`: the path planner's calibration fitted on graded judgments for a
recommender and skill extractor, as a bundle component."""

from __future__ import annotations

from pathlib import Path

from pipelines.judgments import load_qrels, load_queries
from runtime import paths
from runtime.paths import save_planner
from runtime.recommend import Recommender
from runtime.skills import SkillExtractor
from training.bundle import Component, data_hashes
from training.paths.fit import fit_planner, ranked_postings

FLOOR = 0.6


def paths_component(recommender: Recommender, extractor: SkillExtractor, judgments: Path,
                    floor: float = FLOOR) -> Component:
    queries = load_queries(judgments / "queries_dev.jsonl")
    qrels_path = judgments / "qrels_dev.jsonl"
    ranked = ranked_postings(recommender, extractor, queries, load_qrels(qrels_path))
    if len(ranked) < 10:
        raise ValueError(f"{judgments} judges {len(ranked)} postings: the calibration needs "
                         "at least 10")
    planner, reliability = fit_planner(ranked, floor)
    return Component(paths.COMPONENT, lambda directory: save_planner(planner, directory),
                     {"floor": planner.floor, "candidates": planner.candidates,
                      "posting_skills": planner.posting_skills,
                      "calibration": planner.calibration.to_dict()},
                     {"calibration": reliability, "postings": len(ranked)},
                     {"judgments": data_hashes([judgments / "queries_dev.jsonl", qrels_path])})
