"""What every command's parser shares: the help layout, subcommands named after components,
and the one flag for the bundle store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Handler = Callable[[argparse.Namespace], int]
Commands = argparse._SubParsersAction
STORE_HELP = ("the bundle store (or one bundle, where a bundle is read); default: "
              "CAREERPATH_MODEL_DIR, else ./models")
# the names of earlier releases, still accepted
ALIASES = {"recommend": ["recommender"], "path": ["paths"]}


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's default at the end of its help, where it has one worth showing."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if ("%(default)" in text or action.default in (None, False, [], argparse.SUPPRESS)
                or not action.option_strings):
            return text
        return f"{text} (default: %(default)s)"


def command(commands: Commands, name: str, summary: str, handler: Handler | None = None,
            **kwargs: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=summary, description=summary,
                                 formatter_class=HelpFormatter,
                                 aliases=ALIASES.get(name, []), **kwargs)
    if handler is not None:
        parser.set_defaults(handler=handler, model=name)
    return parser


def components(parser: argparse.ArgumentParser, what: str) -> Commands:
    return parser.add_subparsers(dest="model", required=True, metavar="COMPONENT",
                                 title=f"components ({what})")


def add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, metavar="DIR", help=STORE_HELP)


def store(args: argparse.Namespace) -> Path:
    from runtime.settings import Settings

    return args.store if args.store is not None else Settings().model_dir


def print_report(report: Any, path: Path | None) -> None:
    print(report.summary(), file=sys.stderr)
    if path:
        path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
