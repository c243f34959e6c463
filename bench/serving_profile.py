"""Where a request's time goes: each stage of `/recommend` (and `/tags` whole) timed in process
on new real postings of 1,000-4,000 characters, beside the whole request through the ASGI app
(TestClient, no sockets, the answer cache off).

    python -m bench.serving_profile --store models [--out bench/results/serving_profile]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from fastapi.testclient import TestClient

from bench.common import save
from bench.open_loop import real_postings
from runtime.bundles import resolve_bundle
from runtime.loaded import POSTING_SKILLS, load_bundle
from runtime.schemas import RecommendRequest, TagsRequest
from service.app import create_app
from service.settings import ServiceSettings

T = TypeVar("T")


def stage_times(store: Path, bodies: list[str]) -> dict[str, list[float]]:
    """Seconds of each stage per posting; the stages that keep their work run uncached."""
    bundle = load_bundle(resolve_bundle(store))
    recommender, skills = bundle.require_recommender(), bundle.require_skills()
    times: dict[str, list[float]] = {}

    def timed(stage: str, call: Callable[..., T], *args: object) -> T:
        start = time.perf_counter()
        out = call(*args)
        times.setdefault(stage, []).append(time.perf_counter() - start)
        return out

    for body in bodies:
        request = timed("parse + validate the body", RecommendRequest.model_validate_json, body)
        posting = (request.title, request.description)
        timed("check_posting (markup, language)", bundle.check_posting, request)
        timed("reader: split, score parts", bundle.reader._read_uncached, request.description)
        timed("recommender: every course's score", recommender._scores, *posting)
        timed("recommender: top k + reasons", recommender.ranking, *posting, 10)
        timed("skills: extract", skills.extract, *posting, POSTING_SKILLS)
        answer = timed("confidence + answer", bundle.recommend, request)
        timed("serialize the answer", answer.model_dump_json)
        timed("/tags: the model", bundle.tags, TagsRequest.model_validate_json(body))
    return times


def through_the_app(store: Path, bodies: list[str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as workdir, TestClient(create_app(ServiceSettings(
            model_dir=store, feedback_url=f"sqlite:///{workdir}/feedback.db",
            answer_cache_bytes=0))) as client:
        for endpoint in ("/recommend", "/tags"):
            for body in bodies:
                fresh = body.replace('"description": "', f'"description": "{endpoint} ', 1)
                start = time.perf_counter()
                response = client.post(endpoint, content=fresh,
                                       headers={"content-type": "application/json"})
                times.setdefault(f"whole {endpoint} through the ASGI app", []).append(
                    time.perf_counter() - start)
                assert response.status_code == 200, response.text
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=Path("models"))
    parser.add_argument("--postings", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench/results/serving_profile"))
    args = parser.parse_args()
    bodies = [json.dumps({"title": title, "description": f"{description} Ref {i}"})
              for i, (title, description) in enumerate(real_postings(args.postings, seed=5))]
    times = stage_times(args.store, bodies) | through_the_app(args.store, bodies)
    rows = [{"stage": stage, "median_ms": 1000 * float(np.median(seconds)),
             "mean_ms": 1000 * float(np.mean(seconds))} for stage, seconds in times.items()]
    save(rows, f"Where a request's time goes ({args.postings} new postings, in process)",
         args.out, "stage", ["median_ms", "mean_ms"])


if __name__ == "__main__":
    main()
