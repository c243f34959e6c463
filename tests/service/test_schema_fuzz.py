"""Schemathesis against the service's own OpenAPI schema: generated requests (bounded) must
never get a 5xx nor a response that breaks the schema. (Driven through Hypothesis directly:
schemathesis' pytest plugin does not run on pytest 9.2.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.testclient import TestClient

from service.app import create_app
from service.settings import ServiceSettings as Settings

EXAMPLES_PER_OPERATION = 25


def test_api_honours_its_schema(sample_store, tmp_path):
    app = create_app(Settings(model_dir=sample_store,
                              feedback_url=f"sqlite:///{tmp_path / 'feedback.db'}"))
    with TestClient(app):  # runs the lifespan: models and store are loaded on app.state
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        # health, ready, version, courses (GET and HEAD each), feedback; recommend, tags,
        # skills, path (each +batch)
        assert len(operations) == 17
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case) -> None:
                # A well-formed posting can still be refused by meaning (no known word, a
                # course not in the catalog): those 422s are by design, every other check runs.
                case.call_and_validate(excluded_checks=[positive_data_acceptance])

            check()
