"""`careerpath serve`, `retrain` and `rollback`: running the service and keeping its models
current."""

from __future__ import annotations

import argparse
import os
import time

from careerpath.commands.common import Commands, add_store, command, store


def serve(args: argparse.Namespace) -> int:
    from service.server import serve as run

    os.environ["CAREERPATH_MODEL_DIR"] = str(store(args))  # the workers read the environment
    run(args.host, args.port, args.workers)
    return 0


def retrain(args: argparse.Namespace) -> int:
    from runtime.settings import Settings
    from training import retrain as retraining

    overrides = {"model_dir": args.store, "feedback_url": args.feedback_url}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    while True:
        code = retraining.main(settings, args.judgments, args.tolerance, args.keep, args.courses)
        if not args.every:
            return code
        time.sleep(parse_interval(args.every))


def parse_interval(text: str) -> float:
    """'90s', '15m', '1h', '1d' -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if not text or text[-1] not in units or not text[:-1].replace(".", "", 1).isdigit():
        raise ValueError(f"interval {text!r}: use a number with s, m, h or d (e.g. 1h)")
    return float(text[:-1]) * units[text[-1]]


def rollback(args: argparse.Namespace) -> int:
    from runtime.bundles import BundleStore

    print(f"bundle {BundleStore(store(args)).rollback().name} is live again")
    return 0


def add(commands: Commands) -> None:
    from pathlib import Path

    parser = command(commands, "retrain", "learn from the feedback stored since the live "
                                          "bundle; promote the candidate only if no gate "
                                          "metric drops", retrain)
    parser.add_argument("--every", help="run periodically, e.g. 90s, 15m, 1h, 1d "
                                        "(default: once)")
    parser.add_argument("--judgments", type=Path, metavar="DIR",
                        help="dev judgments the recommender must not get worse on")
    parser.add_argument("--tolerance", type=float, default=0.02,
                        help="largest allowed drop of any gate metric")
    parser.add_argument("--keep", type=int, default=5, help="bundles to keep")
    parser.add_argument("--courses", type=Path,
                        help="an updated catalog: new courses are added, removed ones go "
                             "(a full rebuild when more than 20%% changed)")
    parser.add_argument("--feedback-url",
                        help="default: CAREERPATH_FEEDBACK_URL (sqlite:///var/feedback.db)")
    add_store(parser)

    add_store(command(commands, "rollback", "make the bundle that was live before the last "
                                            "promotion live again", rollback))

    server = command(commands, "serve", "serve the REST API under uvicorn", serve)
    server.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    server.add_argument("--port", type=int, default=8000, help="port to listen on")
    server.add_argument("--workers", type=int,
                        help="worker processes (default: CAREERPATH_WORKERS, 1)")
    add_store(server)
