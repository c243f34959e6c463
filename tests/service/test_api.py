from __future__ import annotations

import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from runtime.schemaorg import tags_from_job_posting
from service.app import create_app
from service.settings import ServiceSettings as Settings
from tests.schemaorg_vocabulary import assert_schema_org

JOB = {"title": "Registered Nurse",
       "description": "Assess patients and administer medication. Full-time, $32 per hour. "
                      "Valid state license and 2 years of experience required."}


@pytest.fixture()
def settings(sample_store, tmp_path):
    return Settings(model_dir=sample_store, feedback_url=f"sqlite:///{tmp_path / 'fb.db'}",
                    max_text_chars=5_000, max_body_bytes=20_000, max_batch=3)


@pytest.fixture()
def client(settings):
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_recommend_returns_ranked_courses_with_reasons(client):
    response = client.post("/recommend", json={**JOB, "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["model_version"] and len(body["courses"]) == 3
    first = body["courses"][0]
    assert first["id"].startswith("nursing-") and first["reason"]
    assert set(first) == {"id", "title", "provider", "level", "url", "score", "reason", "skills",
                          "confidence"}
    assert 0 <= first["confidence"] <= 1
    assert response.headers["x-request-id"]


def test_recommend_filters(client):
    body = client.post("/recommend", json={**JOB, "k": 50,
                                           "filters": {"level": "advanced"}}).json()
    assert body["courses"] and {c["level"] for c in body["courses"]} == {"advanced"}


def test_tags_returns_tags_and_optional_scores(client):
    body = client.post("/tags", json=JOB).json()
    assert "scores" not in body
    assert all(set(t) == {"tag", "score", "source"} and t["source"] == "text"
               for t in body["tags"])
    detailed = client.post("/tags", json={**JOB, "include_scores": True}).json()
    assert len(detailed["scores"]) == 12
    everything = client.post("/tags", json={**JOB, "threshold": 0.0}).json()
    assert len(everything["tags"]) == 12
    nothing = client.post("/tags", json={**JOB, "threshold": 1.0}).json()
    assert all(t["score"] >= 1.0 for t in nothing["tags"])


def test_batches_answer_each_posting_and_enforce_the_limit(client):
    body = client.post("/recommend/batch", json={"jobs": [JOB, {**JOB, "k": 2}]}).json()
    assert [len(r["courses"]) for r in body["results"]] == [10, 2]
    assert len(client.post("/tags/batch", json={"jobs": [JOB] * 3}).json()["results"]) == 3
    assert "at most 3" in _problem(client.post("/tags/batch", json={"jobs": [JOB] * 4}),
                                   400)["detail"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"description": ""}, "description"),
    ({"description": "   \n\t"}, "description"),
    ({"description": 42}, "description"),
    ({"title": "x"}, "description"),
    ({**JOB, "k": 0}, "k"),
    ({**JOB, "k": 51}, "k"),
    ({**JOB, "filters": {"level": "expert"}}, "filters.level"),
])
def test_invalid_requests_are_422_problems(client, payload, field):
    body = _problem(client.post("/recommend", json=payload), 422)
    assert field in body["detail"]


def test_malformed_json_and_bad_bytes_are_400(client):
    headers = {"content-type": "application/json"}
    assert "JSON" in _problem(client.post("/tags", content=b'{"description": ', headers=headers),
                              400)["title"]
    _problem(client.post("/tags", content=b'{"description": "caf\xe9"}', headers=headers), 400)


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/tags", '{"description": "Nurse \\ud83d, full time"}', "description"),
    ("/recommend", '{"description": "Nurse", "filters": {"provider": "x\\udc00"}}', "provider"),
    ("/feedback", '{"job": {"description": "Nurse \\udfff"}, "tags": ["salary"]}', "description"),
])
def test_unpaired_surrogates_are_422_not_500(client, path, body, field):
    """JSON can escape half of a UTF-16 pair (a string cut between the halves of an emoji);
    that is not text any model or store can take."""
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert field in _problem(response, 422)["detail"]


def test_an_unpaired_surrogate_in_a_batch_item_is_that_items_422(client):
    body = '{"jobs": [{"title": "RN \\ud800", "description": "Nurse"}]}'
    response = client.post("/tags/batch", content=body,
                           headers={"content-type": "application/json"})
    error = response.json()["results"][0]["error"]
    assert error["status"] == 422 and "title" in error["detail"]


def test_oversized_text_and_body_are_413(client):
    _problem(client.post("/tags", json={"description": "word " * 2_000}), 413)
    _problem(client.post("/tags", json={"description": "a" * 30_000}), 413)


def test_course_feedback_is_validated_stored_and_idempotent(client, settings):
    course_id = client.post("/recommend", json=JOB).json()["courses"][0]["id"]
    payload = {"job": JOB, "course_id": course_id, "helpful": True}
    first = client.post("/feedback", json=payload, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 202 and first.json()["status"] == "queued"
    again = client.post("/feedback", json=payload, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 202 and again.json()["id"] == first.json()["id"]
    _problem(client.post("/feedback", json={**payload, "helpful": False},
                         headers={"Idempotency-Key": "k-1"}), 409)
    _problem(client.post("/feedback", json={**payload, "course_id": "no-such-course"}), 422)
    from pipelines.feedback import FeedbackStore

    stored = FeedbackStore(settings.feedback_url).since(0)
    assert [r.payload["course_id"] for r in stored] == [course_id]


def test_tag_feedback_accepts_known_and_proposed_tags_only(client):
    ok = client.post("/feedback", json={"job": JOB, "tags": ["full-time-job", "hourly-wage"]})
    assert ok.status_code == 202
    body = _problem(client.post("/feedback", json={"job": JOB, "tags": ["remote-job"]}), 422)
    assert "remote-job" in body["detail"]
    proposed = client.post("/feedback", json={"job": JOB, "tags": ["remote-job"],
                                              "proposed_new_tags": ["remote-job"]})
    assert proposed.status_code == 202
    _problem(client.post("/feedback", json={"job": JOB}), 422)


def test_operations_endpoints(client):
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["ready"] and ready["feedback_store"] and ready["model_version"]
    version = client.get("/version").json()
    assert version["model_version"] == ready["model_version"]
    assert set(version["components"]) == {"reader", "recommend", "tags", "skills", "path"}
    client.post("/tags", json=JOB)
    metrics = client.get("/metrics").text
    assert 'careerpath_requests_total{endpoint="/tags",method="POST",status="200"}' in metrics
    assert "careerpath_feedback_queue_depth" in metrics
    assert f'careerpath_model_info{{version="{ready["model_version"]}"}} 1.0' in metrics


def test_docs_render_offline(client):
    page = client.get("/docs").text
    assert "cdn" not in page.lower()
    asset = next(part.split('"')[0] for part in page.split('src="')[1:] if ".js" in part)
    assert client.get(asset).status_code == 200
    schema = client.get("/openapi.json").json()
    assert {"/recommend", "/tags", "/feedback", "/recommend/batch"} <= set(schema["paths"])


def test_api_keys_protect_everything_but_health(settings):
    keyed = settings.model_copy(update={"api_keys": ["s3cret"]})
    with TestClient(create_app(keyed)) as client:
        assert client.get("/health").status_code == 200
        _problem(client.post("/tags", json=JOB), 401)
        _problem(client.get("/ready"), 401)
        assert client.post("/tags", json=JOB, headers={"X-API-Key": "s3cret"}).status_code == 200


def test_without_a_bundle_the_service_is_live_but_not_ready(tmp_path):
    settings = Settings(model_dir=tmp_path / "empty", feedback_url=f"sqlite:///{tmp_path}/f.db")
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/ready").status_code == 503
        _problem(client.post("/tags", json=JOB), 503)


def test_a_broken_new_bundle_leaves_the_old_one_serving(sample_store, tmp_path):
    from runtime.bundles import BundleStore, ComponentRecord

    store_dir = tmp_path / "store"
    shutil.copytree(sample_store, store_dir)
    store = BundleStore(store_dir)
    settings = Settings(model_dir=store_dir, feedback_url=f"sqlite:///{tmp_path}/f.db")
    with TestClient(create_app(settings)) as client:
        version = client.get("/version").json()["model_version"]
        broken = store.begin()
        (broken / "tags").mkdir()
        store.promote(store.commit(broken, {"tags": ComponentRecord()}))
        assert client.app.state.live.refresh() is False
        assert client.post("/tags", json=JOB).json()["model_version"] == version
        assert client.get("/version").json()["reload_error"]
        assert client.get("/ready").json()["reload_error"]


def test_inference_runs_off_the_event_loop_one_call_at_a_time(client, monkeypatch):
    from runtime.recommend import Recommender

    original, lock = Recommender.ranking, threading.Lock()
    running, seen = [0], []

    def observed(self, *args, **kwargs):
        with lock:
            running[0] += 1
            seen.append((threading.current_thread().name, running[0]))
        time.sleep(0.02)  # long enough for concurrent requests to overlap if they could
        with lock:
            running[0] -= 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Recommender, "ranking", observed)
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda _: client.post("/recommend", json=JOB).status_code,
                                 range(6)))
    assert statuses == [200] * 6
    assert {name for name, _ in seen} == {"AnyIO worker thread"}
    assert max(concurrent for _, concurrent in seen) == 1


@pytest.mark.parametrize("path", ["/recommend", "/tags"])
@pytest.mark.parametrize(("description", "language"), [
    ("Wir suchen eine erfahrene Pflegekraft in Vollzeit für unsere Station in Berlin.", "de"),
    ("Se busca enfermera con licencia vigente y dos años de experiencia en hospital.", "es"),
])
def test_a_posting_in_another_language_is_a_clear_422(client, path, description, language):
    body = _problem(client.post(path, json={"description": description}), 422)
    assert body["language"] == language and "English" in body["detail"]


@pytest.mark.parametrize("description", [
    "Enfermera RN",  # too short to tell
    "Java Kotlin Spring Boot Kubernetes Docker AWS GCP Terraform",  # keywords, not prose
])
def test_short_or_keyword_postings_are_not_refused_for_their_language(client, description):
    assert client.post("/tags", json={"description": description}).status_code == 200


def test_a_bad_item_of_a_batch_gets_its_own_problem_and_the_rest_are_answered(client):
    german = {"id": "de-1",
              "description": "Wir suchen eine erfahrene Pflegekraft in Vollzeit für Berlin."}
    response = client.post("/tags/batch", json={"jobs": [{**JOB, "id": 7}, german,
                                                          {"id": "x", "description": ""}]})
    assert response.status_code == 200
    first, second, third = response.json()["results"]
    assert first["id"] == 7 and first["tags"] and "error" not in first
    assert second["id"] == "de-1" and second["error"]["status"] == 422
    assert second["error"]["title"] == "Posting not in English"
    alone = client.post("/tags", json=german).json()  # one language policy, one problem type
    assert second["error"]["type"] == alone["type"] == "urn:careerpath:problem:not-english"
    assert second["error"]["detail"].startswith("jobs[1]: ") and second["error"]["index"] == 1
    assert third["id"] == "x" and third["error"]["errors"][0]["field"] == "description"
    too_long = client.post("/tags/batch", json={"jobs": [{"description": "word " * 1_100}]})
    assert too_long.json()["results"][0]["error"]["status"] == 413
    unreadable = client.post("/recommend/batch", json={"jobs": [{"description": "<p></p>"}]})
    assert unreadable.json()["results"][0]["error"]["title"] == "Unreadable text"
    assert _problem(client.post("/tags/batch", json={"jobs": "not a list"}), 422)


def test_unknown_fields_are_ignored_and_named(client):
    response = client.post("/tags", json={**JOB, "colour": "blue", "sallary": 10})
    assert response.status_code == 200
    assert response.headers["x-careerpath-ignored-fields"] == "colour, sallary"
    batch = client.post("/recommend/batch", json={"jobs": [JOB, {**JOB, "colour": "blue"}]})
    assert batch.headers["x-careerpath-ignored-fields"] == "jobs[1].colour"
    assert "x-careerpath-ignored-fields" not in client.post("/tags", json=JOB).headers
    unicode = client.post("/tags", json={**JOB, "Gehaltsstufe€": 1})  # a header is Latin-1
    assert unicode.headers["x-careerpath-ignored-fields"] == "Gehaltsstufe%E2%82%AC"


def test_a_schema_org_job_posting_is_read_as_a_posting(client):
    posting = {"@context": "https://schema.org/", "@type": "JobPosting",
               "title": JOB["title"], "description": f"<p>{JOB['description']}</p>",
               "datePosted": "2026-11-30", "employmentType": "FULL_TIME",
               "hiringOrganization": {"@type": "Organization", "name": "Mercy Hospital"},
               "jobLocation": {"@type": "Place", "address": {"addressLocality": "Ames"}}}
    answer = client.post("/recommend", json=posting)
    assert answer.status_code == 200 and "x-careerpath-ignored-fields" not in answer.headers
    plain = client.post("/recommend", json=JOB).json()
    assert [c["id"] for c in answer.json()["courses"]] == [c["id"] for c in plain["courses"]]
    course = _problem(client.post("/tags", json={"@type": "Course", "description": "x"}), 422)
    assert "JobPosting" in course["detail"]


def test_an_unreachable_feedback_store_degrades_feedback_only(settings):
    """The read endpoints never need the store: the service starts and answers without it,
    and /feedback fails fast with 503 and Retry-After, storing nothing it acknowledges."""
    import time

    down = settings.model_copy(update={"feedback_url": "postgresql://postgres@127.0.0.1:1/x"})
    with TestClient(create_app(down)) as client:
        assert client.post("/recommend", json=JOB).status_code == 200
        assert client.post("/tags", json=JOB).status_code == 200
        ready = client.get("/ready")
        assert ready.status_code == 200
        assert ready.json()["ready"] and not ready.json()["feedback_store"]
        assert ready.json()["degraded"] == ["feedback_store"]
        started = time.monotonic()
        refused = client.post("/feedback", json={"job": JOB, "tags": ["full-time-job"]})
        assert time.monotonic() - started < 5
        body = _problem(refused, 503)
        assert refused.headers["retry-after"] == "5" and "not stored" in body["detail"]
        assert "careerpath_feedback_store_up 0.0" in client.get("/metrics").text


def test_postings_that_cannot_be_recorded_still_get_their_tags(settings):
    down = settings.model_copy(update={"feedback_url": "postgresql://postgres@127.0.0.1:1/x",
                                       "record_postings": True})
    with TestClient(create_app(down)) as client:
        assert client.post("/tags", json=JOB).status_code == 200
        assert "careerpath_postings_not_recorded_total 1.0" in client.get("/metrics").text


def test_skills_come_with_evidence_and_teach_recommended_courses(client):
    analyst = {"title": "Data Analyst", "description": "Write SQL queries against the "
               "warehouse and build dashboards in Tableau. Benefits include dental insurance."}
    body = client.post("/skills", json={**analyst, "k": 4}).json()
    skills = {s["label"]: s for s in body["skills"]}
    assert len(skills) == 4 and "SQL" in skills and "Tableau" in skills
    assert "SQL queries" in skills["SQL"]["evidence"] and skills["SQL"]["uri"]
    courses = client.post("/recommend", json={**analyst, "k": 5}).json()["courses"]
    taught = [c for c in courses if c["skills"]]
    assert taught and all(c["reason"].startswith("Teaches ") for c in taught)
    assert all(s["uri"] for c in taught for s in c["skills"])
    batch = client.post("/skills/batch", json={"jobs": [analyst, analyst]}).json()
    assert batch["results"][0]["skills"][0] == body["skills"][0]


@pytest.mark.parametrize(("body", "status"), [
    ({"description": "   "}, 422), ({"description": "x", "k": 0}, 422),
    ({"description": "SQL " * 2000}, 413)])
def test_bad_skills_requests_are_clear_4xx(client, body, status):
    _problem(client.post("/skills", json=body), status)


@pytest.mark.timing
def test_rate_limits_answer_429_with_retry_after_per_key(settings, tmp_path):
    limited = settings.model_copy(update={
        "api_keys": ["board-a", "board-b"], "rate_limit": "1/2",
        "rate_limits": {"board-b": "100/100"}, "rate_limit_file": tmp_path / "rate.db"})
    with TestClient(create_app(limited)) as client:
        def tag(key):
            return client.post("/tags", json=JOB, headers={"X-API-Key": key})

        first, second, third = tag("board-a"), tag("board-a"), tag("board-a")
        assert first.status_code == second.status_code == 200
        assert first.headers["ratelimit-limit"] == "2"
        assert [first.headers["ratelimit-remaining"],
                second.headers["ratelimit-remaining"]] == ["1", "0"]
        body = _problem(third, 429)
        assert int(third.headers["retry-after"]) >= 1 and "requests a second" in body["detail"]
        assert all(tag("board-b").status_code == 200 for _ in range(5))  # its own bucket
        assert client.get("/health").status_code == 200  # operations are not limited


@pytest.mark.timing
def test_replicas_sharing_redis_share_each_clients_limit(settings):
    key = f"board-{uuid.uuid4()}"  # a fresh window: Redis outlives test runs
    shared = settings.model_copy(update={"api_keys": [key], "rate_limit": "1/2",
                                         "redis_url": "redis://127.0.0.1:6379/0"})
    with TestClient(create_app(shared)) as one, TestClient(create_app(shared)) as other:
        answers = [replica.post("/tags", json=JOB, headers={"X-API-Key": key})
                   for replica in (one, other, one, other)]
    assert [a.status_code for a in answers] == [200, 200, 429, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers[:2]] == ["1", "0"]
    assert int(answers[2].headers["retry-after"]) >= 1


def test_rate_limit_settings_are_checked():
    from service.ratelimit import Limit

    assert Limit.parse("10/20") == Limit(10.0, 20) and Limit.parse("5") == Limit(5.0, 5)
    for bad in ("x", "0/1", "5/0"):
        with pytest.raises(ValueError, match="rate limit"):
            Limit.parse(bad)


def test_answers_as_schema_org_json_ld(client):
    plain = client.post("/tags", json=JOB).json()
    linked = client.post("/tags?format=schema.org", json={**JOB, "colour": "blue"})
    assert linked.status_code == 200
    assert linked.headers["content-type"] == "application/ld+json"
    assert linked.headers["x-careerpath-ignored-fields"] == "colour"
    assert_schema_org(linked.json())
    assert tags_from_job_posting(linked.json()) == sorted(t["tag"] for t in plain["tags"])

    courses = client.post("/recommend", json=JOB).json()["courses"]
    listed = client.post("/recommend?format=schema.org", json=JOB).json()
    assert_schema_org(listed)
    assert [i["item"]["identifier"] for i in listed["itemListElement"]] == [
        c["id"] for c in courses]
    assert _problem(client.post("/tags?format=rdf", json=JOB), 422)


def _real_job_postings(n: int = 5) -> list[tuple[dict, dict]]:
    """Real Glassdoor postings as boards publish them: schema.org JobPosting with an HTML
    description and the usual properties, beside the plain {title, description} form."""
    import csv
    import html

    from tests.conftest import SHARED

    with (SHARED / "jobs" / "glassdoor" / "Data_Job_NY.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle)
                if 1500 < len(row["Job_Desc"]) < 3500][:n]  # under the test limit of 5,000
    pairs = []
    for row in rows:
        described = "".join(f"<p>{html.escape(block)}</p>"
                            for block in row["Job_Desc"].split("\n\n") if block.strip())
        plain = {"title": row["Job_title"], "description": described}
        linked = {"@context": "https://schema.org/", "@type": "JobPosting", **plain,
                  "datePosted": row["Date_Posted"], "validThrough": row["Valid_until"],
                  "employmentType": row["Job_Type"].upper().replace("-", "_"),
                  "industry": row["Industry"],
                  "hiringOrganization": {"@type": "Organization", "name": row["Company"]},
                  "jobLocation": {"@type": "Place", "address": {
                      "@type": "PostalAddress", "addressLocality": row["City"],
                      "addressRegion": row["State"]}},
                  "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {
                      "@type": "QuantitativeValue", "minValue": row["Min_Salary"],
                      "maxValue": row["Max_Salary"], "unitText": "YEAR"}}}
        pairs.append((linked, plain))
    return pairs


def test_real_job_postings_answer_as_their_plain_form_but_for_what_they_state(client):
    """Schema.org properties that carry no requirement text change no course, and never 4xx;
    the schedule and pay they state decide those tags, the text the rest."""
    pairs = _real_job_postings()
    assert len(pairs) == 5
    for linked, plain in pairs:
        answer, expected = client.post("/recommend", json=linked), client.post(
            "/recommend", json=plain)
        assert answer.status_code == 200, answer.text
        assert answer.json() == expected.json()
        assert "x-careerpath-ignored-fields" not in answer.headers
        tags = client.post("/tags", json=linked).json()
        text = {t["tag"] for t in client.post("/tags", json=plain).json()["tags"]}
        stated = {t["tag"]: t["source"] for t in tags["tags"] if t["source"] != "text"}
        assert stated["salary"] == "baseSalary" and "hourly-wage" not in stated
        schedule = {"FULL_TIME": "full-time-job", "PART_TIME": "part-time-job"}.get(
            linked["employmentType"])
        if schedule:
            assert stated[schedule] == "employmentType"
        decided = {"hourly-wage", "salary"} | ({"full-time-job", "part-time-job"}
                                               if schedule else set())
        assert {t["tag"] for t in tags["tags"] if t["source"] == "text"} == text - decided
        assert set(tags["overruled"]) == text & decided - set(stated)


def test_the_terms_a_job_posting_states_win_over_its_text(client):
    """The skills issue's example: an hourly, full-time JobPosting that the text read as part
    time."""
    answer = client.post("/tags", json={
        "@type": "JobPosting", "title": "Nurse", "description": "Part-time RN wanted.",
        "employmentType": "FULL_TIME", "baseSalary": {
            "@type": "MonetaryAmount", "value": {"@type": "QuantitativeValue",
                                                 "unitText": "HOUR"}}}).json()
    tags = {t["tag"]: t["source"] for t in answer["tags"]}
    assert tags["full-time-job"] == "employmentType" and tags["hourly-wage"] == "baseSalary"
    assert "part-time-job" not in tags and "salary" not in tags
