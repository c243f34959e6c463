"""Scores learning paths on the dev judgments beside the plain top 5 and a TF-IDF top 5: path
precision (the share of chosen courses judged relevant), skill coverage (the share of the
posting's skills the courses teach), redundancy (pairs of chosen courses that teach the same
set of the job's skills, or have near-duplicate titles) and the share of postings left with
no course though their judged pool holds a relevant one. Writes a Markdown report, a chart
and the calibration's reliability plot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np

from pipelines.judgments import Query, load_qrels, load_queries
from runtime.bundles import resolve_bundle
from runtime.errors import PostingError
from runtime.loaded import LoadedBundle, load_bundle
from runtime.path import near_duplicate
from runtime.schemas import PathRequest
from training.charts import metric_bars, metric_table

TOP = 5
RICH_POOL = 3  # a judged pool this rich in relevant courses can fill a longer path


@dataclass(frozen=True)
class Chosen:
    """What a system chose for one posting: course ids with their titles, the job skills each
    teaches, and the posting's skills."""

    courses: list[tuple[str, str, frozenset[str]]]
    job_skills: frozenset[str]


System = Callable[[Query], Chosen]


def path_system(bundle: LoadedBundle) -> System:
    def choose(query: Query) -> Chosen:
        path = bundle.learning_path(PathRequest(title=query.title, description=query.text))
        job = {s.uri for s in path.covered} | {s.uri for s in path.uncovered} | _needed(
            bundle, query)
        return Chosen([(c.id, c.title, frozenset(s.uri for s in c.skills))
                       for c in path.courses], frozenset(job))

    return choose


def _needed(bundle: LoadedBundle, query: Query) -> set[str]:
    assert bundle.skill_extractor is not None and bundle.planner is not None
    return {m.skill.uri for m in bundle.skill_extractor.extract(
        query.title, query.text, bundle.planner.posting_skills)}


def top_system(bundle: LoadedBundle, rank: Callable[[Query], list[str]]) -> System:
    """The first TOP courses of a ranking, with the job skills they teach."""
    assert bundle.recommender is not None and bundle.skill_extractor is not None

    def choose(query: Query) -> Chosen:
        job = _needed(bundle, query)
        chosen = []
        for course_id in rank(query)[:TOP]:
            course = bundle.recommender.course(course_id)  # type: ignore[union-attr]
            teaches = bundle.skill_extractor.taught_by(course_id)  # type: ignore[union-attr]
            chosen.append((course_id, course.title, teaches & job))
        return Chosen(chosen, frozenset(job))

    return choose


def score(system: System, queries: Sequence[Query],
          qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    relevant = chosen = redundant = empty = answerable = honest = hopeless = 0
    coverage, rich = [], []
    for query in queries:
        if query.qid not in qrels:
            continue
        try:
            result = system(query)
        except PostingError:
            continue
        judged = qrels[query.qid]
        relevant_pool = sum(rel >= 1 for rel in judged.values())
        answerable += relevant_pool > 0
        empty += relevant_pool > 0 and not result.courses
        hopeless += relevant_pool == 0
        honest += relevant_pool == 0 and not result.courses
        if relevant_pool >= RICH_POOL:
            rich.append(len(result.courses))
        chosen += len(result.courses)
        relevant += sum(judged.get(course_id, 0) >= 1 for course_id, _, _ in result.courses)
        redundant += sum(1 for a, b in combinations(result.courses, 2)
                         if (a[2] == b[2] and a[2]) or near_duplicate(a[1], b[1]))
        if result.job_skills:
            taught = frozenset().union(*(skills for _, _, skills in result.courses))
            coverage.append(len(taught & result.job_skills) / len(result.job_skills))
    return {"precision": relevant / chosen if chosen else 0.0,
            "courses_per_posting": chosen / max(1, len(queries)),
            "courses_rich_pool": float(np.mean(rich)) if rich else 0.0,
            "skill_coverage": float(np.mean(coverage)) if coverage else 0.0,
            "redundant_pairs": float(redundant),
            "empty_share": empty / answerable if answerable else 0.0,
            "honest_empty": honest / hopeless if hopeless else float("nan")}


def evaluate_bundle(bundle_path: Path, judgments: Path, out_dir: Path) -> Path:
    """`careerpath evaluate path`."""
    from training.recommend.evaluate import DEPTH, rank_with, tfidf_baseline

    bundle = load_bundle(resolve_bundle(bundle_path))
    if bundle.recommender is None or bundle.skill_extractor is None or bundle.planner is None:
        raise ValueError("the bundle needs a recommender, a skill extractor and a path planner")
    queries = load_queries(judgments / "queries_dev.jsonl")
    qrels = load_qrels(judgments / "qrels_dev.jsonl")
    systems = {
        f"careerpath path (floor {bundle.planner.floor:.2f})": path_system(bundle),
        "plain top 5 (careerpath /recommend)": top_system(bundle, rank_with(bundle.recommender)),
        "baseline: TF-IDF top 5": top_system(bundle, tfidf_baseline(bundle.recommender.courses)),
    }
    groups = {"all": queries, **{group: [q for q in queries if q.group == group]
                                 for group in sorted({q.group for q in queries})}}
    results = {f"{name}, {group} ({len(members)})": score(system, members, qrels)
               for name, system in systems.items() for group, members in groups.items()}
    report = write_report(results, bundle, out_dir, DEPTH)
    print(report.read_text())
    return report


def write_report(results: dict[str, dict[str, float]], bundle: LoadedBundle, out_dir: Path,
                 depth: int) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = ["precision", "courses_per_posting", "courses_rich_pool", "skill_coverage",
               "redundant_pairs", "empty_share", "honest_empty"]
    lines = [f"# Learning paths, bundle {bundle.version}", "",
             "Precision counts an unjudged course as not relevant. Courses rich pool: courses "
             f"a path where the judged pool holds {RICH_POOL} or more relevant courses. Empty "
             "share: of the postings whose judged pool holds a relevant course. Honest empty: "
             "of the postings whose judged pool holds none, the share given an empty path.",
             "", *metric_table(results, columns)]
    calibration = bundle.manifest.components.get("path")
    reliability = calibration.metrics.get("calibration") if calibration else None
    if reliability:
        lines += ["", "## Calibration on postings held out from its fit (top 10 shown)", "",
                  f"Mean confidence {reliability['mean_confidence']:.3f}, relevant rate "
                  f"{reliability['relevant_rate']:.3f}, expected calibration error "
                  f"{reliability['expected_calibration_error']:.3f} "
                  f"({reliability.get('top5_expected_calibration_error', float('nan')):.3f} "
                  "over the top 5).", "",
                  "| confidence | courses | mean confidence | relevant rate |", "|---|---|---|---|"]
        for b in reliability["bins"]:
            lines.append(f"| {b['from']:.1f}-{b['to']:.1f} | {b['courses']} | "
                         f"{b['mean_confidence']:.3f} | {b['relevant_rate']:.3f} |")
        _reliability_plot(reliability["bins"], out_dir / "path_reliability.png")
        lines += ["", "| postings | sure first course (0.7+) wrong | nothing relevant | ... "
                  "with no course over the floor |", "|---|---|---|---|"]
        for group, g in reliability.get("groups", {}).items():
            lines.append(f"| {group} ({g['postings']}) | {g['sure_first_course_wrong']:.3f} | "
                         f"{g['nothing_relevant']} | {g['nothing_relevant_below_floor']} |")
    report = out_dir / "path_report.md"
    report.write_text("\n".join(lines) + "\n")
    metric_bars(results, ["precision", "skill_coverage", "empty_share"],
                "Learning paths on the dev judgments", out_dir / "path_report.png")
    return report


def _reliability_plot(bins: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    axes.plot([b["mean_confidence"] for b in bins], [b["relevant_rate"] for b in bins],
              marker="o", label="careerpath (held-out postings)")
    for b in bins:
        axes.annotate(str(b["courses"]), (b["mean_confidence"], b["relevant_rate"]),
                      textcoords="offset points", xytext=(4, -10), fontsize=8)
    axes.set_xlabel("confidence")
    axes.set_ylabel("share judged relevant")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
