from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SHARED = ROOT.parent / "shared" / "data"
POSTGRES_URL = os.environ.get(
    "CAREERPATH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared data is not at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def postgres_url() -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
    finally:
        engine.dispose()
    return POSTGRES_URL


TINY_RECOMMENDER = {"vector_size": 32, "epochs": 15, "min_count": 1, "infer_epochs": 20}


@pytest.fixture(scope="session")
def sample_courses():
    from pipelines.courses import load_catalog

    return load_catalog(SAMPLE / "courses.jsonl")


@pytest.fixture(scope="session")
def sample_jobs():
    from pipelines.jobs import read_jobs

    return read_jobs(SAMPLE / "jobs.jsonl")[0]


@pytest.fixture(scope="session")
def recommender(sample_courses, sample_jobs):
    from service.recommender import RecommenderConfig
    from training.recommender import fit_recommender

    config = RecommenderConfig.from_dict(TINY_RECOMMENDER)
    return fit_recommender(sample_courses, sample_jobs, config, progress=False)
