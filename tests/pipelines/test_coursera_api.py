from __future__ import annotations

import json

import httpx
import pytest

from pipelines.coursera_api import CatalogAPIError, CourseraCatalogClient

TOTAL = 5


def _element(n: int) -> dict:
    return {
        "courseType": "v2.ondemand",
        "id": f"cid{n}",
        "slug": f"course-{n}",
        "name": f"Course {n}",
        "description": f"Learn topic {n}. You’ll practise.",
        "primaryLanguages": ["en"] if n % 2 else ["es-ES"],
        "partnerIds": ["p1"],
        "instructorIds": ["i1"],
        "workload": "4 weeks",
    }


def _page(start: int, limit: int) -> dict:
    end = min(start + limit, TOTAL)
    body: dict = {
        "elements": [_element(n) for n in range(start, end)],
        "paging": {"total": TOTAL},
        "linked": {"partners.v1": [{"id": "p1", "name": "Stanford University"}],
                   "instructors.v1": [{"id": "i1", "fullName": "A. Teacher"}]},
    }
    if end < TOTAL:
        body["paging"]["next"] = str(end)
    return body


class FakeCoursera:
    """Serves courses.v1 pages; `faults` maps a start offset to the failures served first."""

    def __init__(self, faults: dict[int, list] | None = None) -> None:
        self.faults = {k: list(v) for k, v in (faults or {}).items()}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        start = int(request.url.params["start"])
        limit = int(request.url.params["limit"])
        pending = self.faults.get(start)
        if pending:
            fault = pending.pop(0)
            if fault == "timeout":
                raise httpx.ReadTimeout("slow", request=request)
            if fault == "malformed":
                return httpx.Response(200, text="<html>oops</html>")
            if fault == "no-elements":
                return httpx.Response(200, json={"paging": {}})
            return httpx.Response(fault, headers={"Retry-After": "3"} if fault == 429 else {})
        return httpx.Response(200, json=_page(start, limit))


def _client(server: FakeCoursera, sleeps: list[float], **kwargs) -> CourseraCatalogClient:
    return CourseraCatalogClient(
        httpx.Client(transport=httpx.MockTransport(server)),
        page_size=2,
        backoff_seconds=0.5,
        min_interval_seconds=0.0,
        sleep=sleeps.append,
        **kwargs,
    )


def _ids(path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_pages_to_the_end_with_fields_and_linked_partners(tmp_path):
    server, sleeps = FakeCoursera(), []
    result = _client(server, sleeps).fetch(tmp_path / "catalog.jsonl")
    assert _ids(tmp_path / "catalog.jsonl") == [f"course-{n}" for n in range(TOTAL)]
    assert result.pages == 3 and result.written == TOTAL and result.retries == 0
    params = server.requests[0].url.params
    assert "description" in params["fields"] and "partnerIds" in params["includes"]
    first = json.loads((tmp_path / "catalog.jsonl").read_text().splitlines()[0])
    assert first["provider"] == "Stanford University"
    assert first["url"] == "https://www.coursera.org/learn/course-0"
    assert first["language"] == "es" and first["description"].endswith("You will practise.")
    assert not (tmp_path / "catalog.jsonl.state").exists()


def test_retries_429_500_and_timeouts_with_backoff(tmp_path):
    server, sleeps = FakeCoursera({2: [429, 500, "timeout"]}), []
    result = _client(server, sleeps).fetch(tmp_path / "catalog.jsonl")
    assert result.written == TOTAL and result.retries == 3
    assert sleeps == [3.0, 1.0, 2.0]  # Retry-After honoured, then exponential backoff


def test_malformed_page_is_retried_then_skipped_and_reported(tmp_path):
    server = FakeCoursera({2: ["malformed", "no-elements", "malformed"]})
    result = _client(server, [], max_retries=2).fetch(tmp_path / "catalog.jsonl")
    assert _ids(tmp_path / "catalog.jsonl") == ["course-0", "course-1", "course-4"]
    assert result.report.counts["skipped_malformed_page"] == 1


def test_gives_up_after_max_retries(tmp_path):
    server = FakeCoursera({0: [503, 503, 503]})
    with pytest.raises(CatalogAPIError, match="503"):
        _client(server, [], max_retries=2).fetch(tmp_path / "catalog.jsonl")


def test_interrupted_run_resumes_after_last_complete_page(tmp_path):
    out = tmp_path / "catalog.jsonl"
    failing = FakeCoursera({4: [500, 500]})
    with pytest.raises(CatalogAPIError):
        _client(failing, [], max_retries=1).fetch(out)
    assert _ids(out) == ["course-0", "course-1", "course-2", "course-3"]
    resumed = FakeCoursera()
    result = _client(resumed, []).fetch(out)
    assert int(resumed.requests[0].url.params["start"]) == 4
    assert result.written == 1 and _ids(out) == [f"course-{n}" for n in range(TOTAL)]


def test_polite_rate_limit_spaces_requests():
    server, sleeps = FakeCoursera(), []
    clock = iter(float(n) * 0.1 for n in range(100))
    client = CourseraCatalogClient(
        httpx.Client(transport=httpx.MockTransport(server)),
        page_size=2, min_interval_seconds=1.0, sleep=sleeps.append, clock=lambda: next(clock),
    )
    list(client.pages())
    assert len(server.requests) == 3 and len(sleeps) == 2 and all(s > 0.8 for s in sleeps)
