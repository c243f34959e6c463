"""The one policy every endpoint, batch item and `careerpath predict` line follows (README,
"What the API accepts"): unreadable text is one problem type; readable text no model knows
gets an empty, explained answer; unknown fields are ignored and named; types are strict."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest

from careerpath.cli import main
from tests.service.servers import Server

ENDPOINTS = {"/recommend": "recommend", "/tags": "tags", "/skills": "skills", "/path": "path"}
JOB = {"title": "Registered Nurse",
       "description": "Assess patients and administer medication. Full-time, $32 per hour."}
UNREADABLE = [{"description": "<p><br/></p>"}, {"description": "<div>&nbsp;</div>"},
              {"description": "1234567890" * 300}]
UNKNOWN_WORDS = {"description": "zzqx vvbn qwrtp"}
UNREADABLE_TYPE = "urn:careerpath:problem:unreadable-text"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", UNREADABLE)
def test_unreadable_text_is_one_problem_everywhere(client, endpoint, body, sample_store,
                                                   tmp_path):
    alone = client.post(endpoint, json=body)
    assert alone.status_code == 422 and alone.json()["type"] == UNREADABLE_TYPE
    item = client.post(f"{endpoint}/batch", json={"jobs": [{**body, "id": "x"}]}).json()
    assert item["results"][0]["id"] == "x"
    assert item["results"][0]["error"]["type"] == UNREADABLE_TYPE
    lines, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines.write_text(json.dumps({**body, "id": "x"}) + "\n")
    assert main(["predict", ENDPOINTS[endpoint], "--store", str(sample_store),
                 "--input", str(lines), "--out", str(out)]) == 1
    assert json.loads(out.read_text())["type"] == UNREADABLE_TYPE


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_readable_text_no_model_knows_gets_an_empty_explained_answer(client, endpoint):
    response = client.post(endpoint, json=UNKNOWN_WORDS)
    assert response.status_code == 200, response.text
    answer = response.json()
    if endpoint != "/tags":  # tags always answer with what the text suggests, maybe none
        found = answer["courses"] if "courses" in answer else answer["skills"]
        assert found == [] and answer["explanation"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_fields_are_ignored_and_named_everywhere(client, endpoint):
    alone = client.post(endpoint, json={**JOB, "colour": "blue"})
    assert alone.status_code == 200 and alone.headers["x-careerpath-ignored-fields"] == "colour"
    batch = client.post(f"{endpoint}/batch", json={"jobs": [{**JOB, "shade": 1}], "k": 3})
    assert batch.status_code == 200
    assert batch.headers["x-careerpath-ignored-fields"] == "k, jobs[0].shade"


def test_unknown_fields_in_feedback_and_nested_objects_are_named(client):
    course = client.post("/recommend", json=JOB).json()["courses"][0]["id"]
    feedback = client.post("/feedback", json={"job": {**JOB, "colour": 1}, "course_id": course,
                                              "helpful": True, "stars": 5})
    assert feedback.status_code == 202, feedback.text
    assert feedback.headers["x-careerpath-ignored-fields"] == "stars, job.colour"
    filtered = client.post("/recommend", json={**JOB, "filters": {"level": "beginner",
                                                                   "shade": 1}})
    assert filtered.headers["x-careerpath-ignored-fields"] == "filters.shade"


@pytest.mark.parametrize(("endpoint", "field", "value"), [
    ("/recommend", "k", "5"), ("/recommend", "k", 5.5), ("/skills", "k", True),
    ("/tags", "include_scores", 0), ("/tags", "threshold", "0.5"),
    ("/path", "max_courses", "3"), ("/recommend", "description", 42)])
def test_types_are_strict_and_the_problem_names_the_field(client, endpoint, field, value):
    response = client.post(endpoint, json={**JOB, field: value})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_feedback_types_are_strict_in_the_callers_terms(client):
    response = client.post("/feedback", json={"job": JOB, "course_id": "x", "helpful": "yes"})
    assert response.status_code == 422
    assert response.json()["detail"] == "helpful: Input should be a valid boolean"


def test_http_conventions(client):
    assert client.head("/health").status_code == 200
    assert client.head("/version").status_code == 200
    plain = client.post("/tags", content=json.dumps(JOB), headers={"content-type": "text/plain"})
    assert plain.status_code == 415 and "application/json" in plain.json()["detail"]
    linked = client.post("/tags", json=JOB, headers={"accept": "application/ld+json"})
    assert linked.headers["content-type"].startswith("application/ld+json")
    assert linked.json()["@type"] == "JobPosting" and linked.headers["vary"] == "Accept"
    big = client.post("/recommend", json={**JOB, "k": 50}, headers={"accept-encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip" and big.json()["courses"]
    small = client.get("/health", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_a_course_by_id_and_the_catalog_on_version(client):
    course = client.post("/recommend", json=JOB).json()["courses"][0]
    found = client.get(f"/courses/{course['id']}").json()
    assert {k: found[k] for k in ("id", "title", "provider", "url")} == {
        k: course[k] for k in ("id", "title", "provider", "url")}
    assert {s["uri"] for s in course["skills"]} <= {s["uri"] for s in found["skills"]}
    missing = client.get("/courses/no-such-course")
    assert missing.status_code == 404 and missing.json()["title"] == "No such course"
    catalog = client.get("/version").json()["catalog"]
    assert catalog["courses"] > 100 and "sha256" in catalog  # None: built from memory


def test_an_oversized_body_gets_its_413_over_a_real_connection(sample_store, tmp_path):
    server = Server(sample_store, f"sqlite:///{tmp_path / 'fb.db'}")
    try:
        server.wait_ready()
        body = json.dumps({**JOB, "description": "x " * 5_000_000}).encode()
        response = httpx.post(f"{server.url}/tags", content=body,
                              headers={"content-type": "application/json"}, timeout=30)
        assert response.status_code == 413 and "bytes" in response.json()["detail"]
        packed = gzip.compress(json.dumps(JOB).encode())
        refused = httpx.post(f"{server.url}/tags", content=packed,
                             headers={"content-type": "application/gzip"})
        assert refused.status_code == 415
    finally:
        server.kill()
