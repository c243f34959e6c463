from fastapi.testclient import TestClient

from service.app import create_app


def test_health_answers():
    response = TestClient(create_app()).get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
