"""Every example the docs page shows, and every curl line of the README, answers as documented
when tried against the sample bundle: what an integrator tries first works."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

import pytest

from runtime.schemas import PathResponse, RecommendResponse, SkillsResponse, TagsResponse
from tests.conftest import ROOT, SAMPLE


def _request_examples(schema: dict) -> Iterator[tuple[str, str, dict]]:
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = (operation.get("requestBody", {}).get("content", {})
                    .get("application/json", {}).get("schema", {}))
            model = components[body["$ref"].rsplit("/", 1)[1]] if "$ref" in body else body
            for branch in [model, *(components[ref["$ref"].rsplit("/", 1)[1]]
                                    for ref in model.get("anyOf", model.get("oneOf", []))
                                    if "$ref" in ref)]:
                for example in branch.get("examples", []):
                    yield method.upper(), path, example


def test_every_request_example_of_the_docs_page_answers(client):
    examples = list(_request_examples(client.get("/openapi.json").json()))
    for method, path, example in examples:
        response = client.request(method, path, json=example)
        assert response.status_code in (200, 202), (path, example, response.text)
    documented = {path for _, path, _ in examples}
    assert {"/recommend", "/tags", "/skills", "/path", "/feedback"} <= documented
    job_postings = {path for _, path, example in examples if example.get("@type") == "JobPosting"}
    assert {"/recommend", "/tags", "/skills", "/path"} <= job_postings


def _readme_curls() -> Iterator[tuple[str, str, dict[str, str], str | None]]:
    """(method, path, headers, body) of each `curl localhost:8000…` in the README's shell
    blocks."""
    for block in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S):
        words = shlex.split(block.replace("\\\n", " "), comments=True)
        starts = [i for i, word in enumerate(words) if word == "curl"]
        for start, end in zip(starts, [*starts[1:], len(words)][:len(starts)], strict=True):
            command = words[start:end]
            url = next(word for word in command if word.startswith("localhost:8000"))
            headers = dict(command[i + 1].split(": ", 1) for i, word in enumerate(command)
                           if word == "-H")
            body = next((command[i + 1] for i, word in enumerate(command) if word == "-d"), None)
            yield ("POST" if body else "GET"), url.removeprefix("localhost:8000"), headers, body


def test_every_curl_line_of_the_readme_answers(client):
    curls = list(_readme_curls())
    assert len(curls) >= 6
    for method, path, headers, body in curls:
        response = client.request(method, path, headers=headers, content=body)
        assert response.status_code in (200, 202), (path, body, response.text)


@pytest.mark.parametrize("model", [RecommendResponse, TagsResponse, SkillsResponse,
                                   PathResponse])
def test_response_examples_are_real_answers(client, model):
    """Each answer example validates against its model and names courses and skills that
    the sample bundle has."""
    documented = client.get("/openapi.json").json()["components"]["schemas"][model.__name__]
    catalog = (SAMPLE / "courses.jsonl").read_text()
    taxonomy = (SAMPLE / "skills.jsonl").read_text()
    for example in documented["examples"]:
        answer = model.model_validate(example).model_dump()
        for course in answer.get("courses", []):
            assert f'"id": "{course["id"]}"' in catalog
        for skill in _skills(answer):
            assert f'"uri": "{skill["uri"]}"' in taxonomy


def _skills(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        if "uri" in node:
            yield node
        for value in node.values():
            yield from _skills(value)
    elif isinstance(node, list):
        for value in node:
            yield from _skills(value)
