"""`careerpath evaluate`: score a bundle's component beside baselines, into a Markdown report
and charts. Data the component was trained or scored on is the default, where its record in
the manifest names it."""

from __future__ import annotations

import argparse
from pathlib import Path

from careerpath.commands.common import Commands, add_store, command, components, store


def evaluate(args: argparse.Namespace) -> int:
    from runtime.bundles import read_manifest, resolve_bundle

    bundle = resolve_bundle(store(args))
    records = read_manifest(bundle).components
    data = records[args.model].data if args.model in records else {}
    if args.model == "reader":
        from training.reader.evaluate import evaluate_bundle as evaluate_reader

        postings = args.postings or [entry["path"] for entry in data.get("postings", [])]
        evaluate_reader(bundle, _given(postings, "--postings"), args.report_dir)
    elif args.model == "recommend":
        from training.recommend.evaluate import evaluate_bundle as evaluate_recommender

        judgments = args.judgments or _recorded_judgments(records)
        evaluate_recommender(bundle, _given(judgments, "--judgments"), args.seed_labels,
                             args.report_dir)
    elif args.model == "tags":
        from training.tags.evaluate import evaluate_bundle as evaluate_tags

        evaluate_tags(bundle, _given(args.jobs or data.get("jobs", {}).get("path"), "--jobs"),
                      args.report_dir)
    elif args.model == "skills":
        from training.skills.evaluate import evaluate_bundle as evaluate_skills

        taxonomy = args.taxonomy or data.get("taxonomy", {}).get("path")
        evaluate_skills(bundle, args.benchmark, _given(taxonomy, "--taxonomy"), args.report_dir)
    else:
        from training.path.evaluate import evaluate_bundle as evaluate_path

        judgments = args.judgments or _recorded_judgments(records)
        evaluate_path(bundle, _given(judgments, "--judgments"), args.report_dir)
    return 0


def _recorded_judgments(records: dict) -> Path | None:
    """The judgments the path planner was calibrated on, else the recommender's dev set."""
    if "path" in records and records["path"].data.get("judgments"):
        return Path(records["path"].data["judgments"][0]["path"]).parent
    recorded = records["recommend"].data.get("judgments") if "recommend" in records else None
    return Path(recorded) if recorded else None


def _given(value, flag: str):
    """The value, which must be there and name existing files: scoring against data that is
    not there would report zeros."""
    if not value:
        raise ValueError(f"the bundle's record names no data for this: give {flag}")
    missing = [str(p) for p in (value if isinstance(value, list) else [value])
               if "://" not in str(p) and not Path(p).exists()]
    if missing:
        raise ValueError(f"{flag}: not found: {', '.join(missing)}")
    return Path(value) if isinstance(value, str) else value


def add(commands: Commands) -> None:
    parser = command(commands, "evaluate", "score a bundle's component beside baselines; a "
                                           "Markdown report and charts")
    models = components(parser, "what to score")
    reader = command(models, "reader", "the posting reader on the held-out fifth of postings' "
                                       "headed parts", evaluate)
    reader.add_argument("--postings", nargs="*", default=[], metavar="SOURCE",
                        help="postings with headed sections (default: those it learned from)")
    recommend = command(models, "recommend", "the recommender on graded judgments, with "
                                             "ablations and baselines", evaluate)
    recommend.add_argument("--seed-labels", type=Path, metavar="DIR",
                           help="the original project's labeled sample, for its own metric")
    tags = command(models, "tags", "the tag model on the postings it was trained without, "
                                   "beside a linear baseline", evaluate)
    tags.add_argument("--jobs", help="the labeled postings it was trained on (default: those "
                                     "its record names)")
    skills = command(models, "skills", "the skill extractor on the benchmark's validation "
                                       "sentences (RP@5, RP@10), beside TF-IDF", evaluate)
    skills.add_argument("--benchmark", type=Path, required=True, metavar="DIR",
                        help="directory of tech_validation.csv and house_validation.csv")
    skills.add_argument("--taxonomy", type=Path,
                        help="the taxonomy's skill texts, for the TF-IDF baseline (default: "
                             "the one it was trained on)")
    path = command(models, "path", "learning paths on the judgments beside the plain top 5 "
                                   "and TF-IDF", evaluate)
    for each in (recommend, path):
        each.add_argument("--judgments", type=Path, metavar="DIR",
                          help="directory of queries_dev.jsonl and qrels_dev.jsonl (default: "
                               "those its record names)")
    for each in (reader, recommend, tags, skills, path):
        add_store(each)
        each.add_argument("--report-dir", type=Path, default=Path("reports"),
                          help="where the report and charts go")
