"""`careerpath train` and `careerpath tune`: fit components into a new live bundle, and search
the recommender's parameters."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from careerpath.commands.common import Commands, add_store, command, components, store
from runtime.components import COMPONENTS
from training.inputs import TrainingInputs

Option = Callable[[argparse.ArgumentParser], object]
OPTIONS: dict[str, Option] = {
    "postings": lambda p: p.add_argument(
        "--postings", nargs="*", default=[], metavar="SOURCE",
        help="postings whose headed sections teach the reader (default: --jobs and "
             "--unlabeled)"),
    "courses": lambda p: p.add_argument(
        "--courses", type=Path,
        help="course catalog: canonical JSONL or a file `import courses` reads"),
    "corpus": lambda p: p.add_argument(
        "--corpus", nargs="*", default=[], metavar="FILE",
        help="in-domain text: job files, ESCO occupation profiles, O*NET task statements"),
    "recommend_config": lambda p: p.add_argument(
        "--recommend-config", type=Path, metavar="JSON",
        help="recommender parameters (e.g. from `tune`)"),
    "judgments": lambda p: p.add_argument(
        "--judgments", type=Path, metavar="DIR",
        help="graded judgments (queries_dev.jsonl, qrels_dev.jsonl): the recommender's dev "
             "metrics, the path planner's calibration"),
    "jobs": lambda p: p.add_argument("--jobs", help="labeled postings: a file or a SQL URL"),
    "unlabeled": lambda p: p.add_argument(
        "--unlabeled", nargs="*", default=[], metavar="SOURCE",
        help="unlabeled postings for the tag model's autoencoder"),
    "tags_config": lambda p: p.add_argument("--tags-config", type=Path, metavar="JSON",
                                            help="tag model parameters"),
    "hold_out": lambda p: p.add_argument(
        "--hold-out", type=float, metavar="FRACTION",
        help="share of the labeled postings held out to score the tag model, 0 to train on "
             f"every posting for production (default: {TrainingInputs.hold_out})"),
    "taxonomy": lambda p: p.add_argument(
        "--taxonomy", type=Path,
        help="ESCO skills, JSONL {uri, label, text}; rows it cannot use are reported"),
    "occupations": lambda p: p.add_argument(
        "--occupations", type=Path, metavar="FILE",
        help="ESCO occupation profiles (JSONL): a posting's likely occupations lend their "
             "skills as a prior"),
    "skill_judgments": lambda p: p.add_argument(
        "--skill-judgments", type=Path, metavar="DIR",
        help="graded postings (postings_dev.jsonl, posting_judgments_dev.jsonl) the skill "
             "probabilities are calibrated on; without them they are a guess"),
    "encoder": lambda p: p.add_argument(
        "--encoder", choices=("auto", "all-MiniLM-L6-v2", "word2vec"), default="auto",
        help="what makes the skill vectors: the `embed` extra's sentence encoder, or word2vec "
             "trained here (auto: the encoder when installed)"),
    "path_floor": lambda p: p.add_argument(
        "--path-floor", type=float, metavar="CONFIDENCE",
        help="the confidence a course needs to enter a learning path (default: "
             f"{TrainingInputs.path_floor})"),
}
NEEDS = {"reader": ("postings", "jobs", "unlabeled"),
         "recommend": ("courses", "corpus", "recommend_config", "judgments"),
         "tags": ("jobs", "unlabeled", "tags_config", "hold_out"),
         "skills": ("taxonomy", "occupations", "skill_judgments", "encoder", "courses", "corpus",
                    "unlabeled"),
         "path": ("judgments", "path_floor")}


def train(args: argparse.Namespace) -> int:
    from training.train import train as train_bundle

    fields = {name: getattr(args, name) for name in OPTIONS
              if getattr(args, name, None) is not None}
    inputs = TrainingInputs(**fields, seed=args.seed, models=(args.model,))
    print(f"bundle {train_bundle(store(args), inputs)} is live")
    return 0


def tune(args: argparse.Namespace) -> int:
    from runtime.bundles import resolve_bundle
    from runtime.components import load_components
    from training.recommend.tune import tune as tune_recommender

    reader = load_components(resolve_bundle(store(args)), ["reader"])["reader"]
    best = tune_recommender(args.courses, args.corpus, args.judgments, args.out, reader)
    print(json.dumps(best, indent=2))
    return 0


def add(commands: Commands) -> None:
    parser = command(commands, "train", "train components into a new bundle, which goes live")
    models = components(parser, "what is built on them is refitted; the rest is carried over "
                                "from the live bundle")
    every = command(models, "all", "every component: the skill extractor too when --taxonomy "
                                   "is given, the path planner when --judgments is too", train)
    _options(every, [option for name in NEEDS for option in NEEDS[name]])
    for spec in COMPONENTS:
        _options(command(models, spec.name, f"train {spec.summary}", train), NEEDS[spec.name])

    tuner = command(commands, "tune", "search a model's parameters on the dev judgments")
    tunable = components(tuner, "what to tune")
    recommend = command(tunable, "recommend", "the recommender's training and scoring grid",
                        tune)
    recommend.add_argument("--courses", type=Path, required=True, help="course catalog")
    recommend.add_argument("--corpus", nargs="*", default=[], metavar="FILE",
                           help="in-domain text for Doc2Vec")
    recommend.add_argument("--judgments", type=Path, required=True, metavar="DIR",
                           help="directory of queries_dev.jsonl and qrels_dev.jsonl")
    recommend.add_argument("--out", type=Path, default=Path("recommender_config.json"),
                           help="where the best parameters go, for `train --recommend-config`")
    add_store(recommend)  # whose live bundle's reader the candidates read postings with


def _options(parser: argparse.ArgumentParser, names: tuple[str, ...] | list[str]) -> None:
    for name in dict.fromkeys(names):
        OPTIONS[name](parser)
    parser.add_argument("--seed", type=int, help="random seed of every component trained")
    add_store(parser)
