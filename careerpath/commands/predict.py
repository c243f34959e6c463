"""`careerpath predict`: JSONL postings answered with a bundle, one JSON line each, in the API's
answer shape."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careerpath.commands.common import Commands, add_store, command, components, store


def predict(args: argparse.Namespace) -> int:
    from careerpath import predict as batch
    from runtime.bundles import resolve_bundle
    from runtime.loaded import load_bundle

    bundle = load_bundle(resolve_bundle(store(args)))
    answer = batch.answer_for(bundle, args.model, getattr(args, "k", 10))
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        failures = batch.predict_jsonl(args.input, out, answer)
    finally:
        if args.out:
            out.close()
    if failures:
        print(f"{failures} postings could not be answered (see their 'error')", file=sys.stderr)
        return 1
    return 0


def add(commands: Commands) -> None:
    parser = command(commands, "predict", "answer JSONL postings {id, title, description} with "
                                          "a bundle, one JSON line each, in the API's answer "
                                          "shape")
    models = components(parser, "what to answer")
    recommend = command(models, "recommend", "the courses worth taking for each posting",
                        predict)
    recommend.add_argument("--k", type=int, default=10, help="courses per posting")
    tags = command(models, "tags", "the tags of each posting, with every tag's score", predict)
    skills = command(models, "skills", "the ESCO skills each posting asks for, with evidence "
                                       "(a line may hold one sentence)", predict)
    skills.add_argument("--k", type=int, default=10, help="skills per posting")
    path = command(models, "path", "the few courses that together cover each posting's skills "
                                   "(lines may carry a profile and max_courses, as the API's "
                                   "body)", predict)
    for each in (recommend, tags, skills, path):
        each.add_argument("--input", type=Path, required=True, help="postings, JSONL")
        each.add_argument("--out", type=Path, help="where to write (default: standard output)")
        add_store(each)
