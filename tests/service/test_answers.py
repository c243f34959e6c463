from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi.testclient import TestClient

from runtime.schemas import RecommendRequest, TagsRequest, TagsResponse
from service.answers import AnswerCache, answer_cache, answer_key
from service.app import create_app
from service.settings import ServiceSettings

POSTINGS = [
    {"title": "Registered Nurse", "description": "<p>Assess patients and administer "
     "medication.</p><ul><li>Valid state license</li><li>2 years of experience</li></ul>"},
    {"title": "Line Cook", "description": "Prepare food to recipe, keep the grill clean, follow "
     "food safety rules. Part-time, $16 per hour plus tips."},
    {"@type": "JobPosting", "title": "Data Analyst", "employmentType": "PART_TIME",
     "description": "Build dashboards in Tableau and write SQL queries for the sales team."},
]
ENDPOINTS = ["/recommend", "/tags", "/skills", "/path"]


def _client(sample_store, tmp_path, cache_bytes: int) -> TestClient:
    return TestClient(create_app(ServiceSettings(
        model_dir=sample_store, feedback_url=f"sqlite:///{tmp_path / 'fb.db'}",
        answer_cache_bytes=cache_bytes)))


def test_kept_answers_are_the_answers_computed_afresh(sample_store, tmp_path):
    with (_client(sample_store, tmp_path, 0) as fresh,
          _client(sample_store, tmp_path, 10_000_000) as caching):
        for posting in POSTINGS:
            for endpoint in ENDPOINTS:
                expected = fresh.post(endpoint, json=posting)
                assert expected.status_code == 200, expected.text
                first, again = (caching.post(endpoint, json=posting) for _ in range(2))
                assert first.json() == again.json() == expected.json(), endpoint
        lookups = caching.get("/metrics").text
    assert 'careerpath_answer_cache_total{outcome="local"} 12.0' in lookups
    assert 'careerpath_answer_cache_total{outcome="miss"} 12.0' in lookups


def test_an_answer_is_kept_for_what_the_request_says_and_the_bundle_that_gave_it():
    posting = {"title": "Cook", "description": "Prepare food."}
    key = answer_key("tags", "v1", TagsRequest(**posting))
    assert key == answer_key("tags", "v1", TagsRequest(**posting, misspelt_field=1))
    assert key != answer_key("tags", "v2", TagsRequest(**posting))
    assert key != answer_key("recommend", "v1", RecommendRequest(**posting))
    assert key != answer_key("tags", "v1", TagsRequest(**posting, threshold=0.9))
    stated = TagsRequest.model_validate({**posting, "employmentType": "PART_TIME"})
    assert key != answer_key("tags", "v1", stated)


def _answer(cache: AnswerCache, version: str, computed: list[str]):
    async def compute() -> TagsResponse:
        computed.append(version)
        return TagsResponse(model_version=version, tags=[])

    request = TagsRequest(title="Cook", description="Prepare food.")
    return cache.answer("tags", version, request, TagsResponse, compute)


def test_workers_share_answers_through_redis():
    version, computed = f"test-{uuid.uuid4()}", []

    async def two_workers() -> list[TagsResponse]:
        first = answer_cache(1_000_000, "redis://127.0.0.1:6379/0")
        second = answer_cache(1_000_000, "redis://127.0.0.1:6379/0")
        try:
            return [await _answer(first, version, computed),
                    await _answer(second, version, computed)]
        finally:
            await first.close()
            await second.close()

    answers = asyncio.run(two_workers())
    assert computed == [version] and answers[0] == answers[1]


@pytest.mark.parametrize("url", ["redis://127.0.0.1:1/0", None])
def test_without_a_reachable_cache_answers_are_computed(url):
    computed: list[str] = []

    async def ask_twice() -> None:
        cache = answer_cache(0, url)  # keeps nothing in memory
        try:
            for _ in range(2):
                await _answer(cache, "v", computed)
        finally:
            await cache.close()

    asyncio.run(ask_twice())
    assert computed == ["v", "v"]


def test_the_memory_kept_is_bounded_by_the_answers_bytes():
    computed: list[str] = []
    one_answer = len(TagsResponse(model_version="a", tags=[]).model_dump_json())

    async def ask(versions: list[str]) -> None:
        cache = answer_cache(one_answer, None)  # room for one answer's JSON
        for version in versions:
            await _answer(cache, version, computed)

    asyncio.run(ask(["a", "a", "b", "a"]))
    assert computed == ["a", "b", "a"]  # "a" was kept, then pushed out by "b"
