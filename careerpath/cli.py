"""careerpath: course recommendations, tags, skills and learning paths for job postings.

Import catalogs and postings, train the components into a bundle, predict and evaluate with a
bundle, retrain from feedback, and serve the REST API. `careerpath COMMAND --help` explains
each command; the environment variables of the README's Configuration section set the
defaults that the options do not."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from careerpath.commands import data, evaluate, operate, predict, train
from careerpath.commands.common import ALIASES, Handler, HelpFormatter
from runtime.components import NAMES
from training.inputs import EVERY_MODEL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careerpath", description=__doc__,
                                     formatter_class=HelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (data, train, predict, evaluate, operate):
        module.add(commands)
    return parser


def _with_default_model(argv: Sequence[str]) -> list[str]:
    """`careerpath train --courses …` (no component named) trains every one, as it always
    has."""
    argv = list(argv)
    names = {EVERY_MODEL, *NAMES, *(alias for aliases in ALIASES.values() for alias in aliases)}
    if argv[:1] == ["train"] and not (set(argv[1:2]) & {*names, "-h", "--help"}):
        argv.insert(1, EVERY_MODEL)
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_with_default_model(sys.argv[1:] if argv is None
                                                         else argv))
    handler: Handler = args.handler
    try:
        return handler(args)
    except (ValueError, FileNotFoundError) as error:
        print(f"careerpath: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
