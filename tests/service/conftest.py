from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import ServiceSettings


@pytest.fixture(scope="module")
def client(sample_store, tmp_path_factory):
    """The app on the sample bundle with its default settings, shared by a module's tests
    (test_api.py has its own, with small limits)."""
    feedback = tmp_path_factory.mktemp("service") / "feedback.db"
    with TestClient(create_app(ServiceSettings(model_dir=sample_store,
                                               feedback_url=f"sqlite:///{feedback}"))) as test:
        yield test
