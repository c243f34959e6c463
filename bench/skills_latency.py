"""Skill extraction and learning paths: in-process latency per 1,500-character posting (the
skills of a posting; a path for a posting with a 1,500-character profile) and per sentence,
and the skill extractor's training time and memory from its bundle.

    python -m bench.skills_latency --store models [--out bench/results/skills_latency]
"""

from __future__ import annotations

import argparse
import resource
from collections.abc import Sequence
from pathlib import Path

from bench.common import percentiles, postings, save, timed
from runtime.bundles import resolve_bundle
from runtime.loaded import load_bundle
from runtime.schemas import PathRequest, Profile, RecommendRequest, SkillsRequest


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--out", type=Path, default=Path("bench/results/skills_latency"))
    args = parser.parse_args(argv)
    bundle = load_bundle(resolve_bundle(args.store))
    extractor = bundle.require_skills()
    items = postings(200, 2700)
    profiles = postings(400, 1500)[200:]
    sentences = [s for _, text in items[:40] for s in text.split(". ") if len(s) > 30][:400]
    # Each call gets text no earlier call read (the reader keeps its last few readings).
    rows = [
        {"what": "reading a 2,700-char posting (the parts, shared by the models)",
         **percentiles(timed(lambda p: bundle.reader.read(p[1] + " "), items))},
        {"what": "skills per 2,700-char posting, reading included", **percentiles(timed(
            lambda p: bundle.skills(SkillsRequest(title=p[0], description=p[1] + "  ")),
            items))},
        {"what": "recommend per 2,700-char posting, reading included", **percentiles(timed(
            lambda p: bundle.recommend(RecommendRequest(title=p[0],
                                                        description=p[1] + "   ")), items))},
        {"what": "skills per sentence", **percentiles(timed(
            lambda s: extractor.rank(s, 10), sentences))},
    ]
    if bundle.planner is not None:
        requests = [PathRequest(title=t, description=d, profile=Profile(text=profile[1]))
                    for (t, d), profile in zip(items, profiles, strict=False)]
        rows.append({"what": "path per posting + 1,500-char profile", **percentiles(timed(
            bundle.learning_path, requests))})
    save(rows, f"Skills and paths, in process ({len(extractor.skills)} skills, "
         f"{len(bundle.recommender.courses) if bundle.recommender else 0} courses)",
         args.out, "what", ["p50_ms", "p99_ms"])
    record = bundle.manifest.components.get("skills")
    if record:
        print(f"\nskill extractor trained in {record.metrics.get('training_seconds')} s "
              f"({record.parameters.get('encoder')} vectors); this process's peak RSS: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
