"""`careerpath train [all|recommender|tags]`: fit the models and write one new bundle."""

from __future__ import annotations

import argparse
from pathlib import Path

from careerpath.bundles import BundleStore
from careerpath.settings import Settings
from training.bundle import Component, write_bundle


def run(args: argparse.Namespace) -> int:
    _check(args)
    out: Path = args.out or Settings().model_dir
    components: list[Component] = []
    if args.what in ("all", "recommender"):
        from training.recommender_cli import config_from, recommender_component

        config = config_from(args.config, seed=args.seed)
        components.append(recommender_component(args.courses, args.corpus, config,
                                                args.judgments)[0])
    if args.what in ("all", "tags"):
        from training.tags_cli import tags_component

        components.append(tags_component(args.jobs, args.unlabeled, seed=args.seed,
                                         test_fraction=args.hold_out,
                                         config_path=args.tags_config))
    bundle = write_bundle(BundleStore(out), components)
    print(f"bundle {bundle} is live")
    return 0


def _check(args: argparse.Namespace) -> None:
    """Refuse bad arguments before any model trains: `all` trains the recommender first."""
    if args.what in ("all", "recommender") and not args.courses:
        raise ValueError("training the recommender needs --courses")
    if args.what in ("all", "tags"):
        if not args.jobs:
            raise ValueError("training the tag model needs --jobs")
        if not 0 <= args.hold_out < 1:
            raise ValueError(f"--hold-out {args.hold_out}: a share of the postings, at least 0, "
                             "below 1")
