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
def reader():
    """A posting reader learned from thousands of real postings (the one bundles of earlier
    releases read with): the sample models read real boilerplate through it as a full
    bundle's would. `tests/training/reader` learns one from the sample's headed postings."""
    from runtime.reader import load_reader

    return load_reader(None)


@pytest.fixture(scope="session")
def recommender(sample_courses, sample_jobs, reader):
    from runtime.recommend import RecommenderConfig
    from training.recommend.fit import fit_recommender

    config = RecommenderConfig.from_dict(TINY_RECOMMENDER)
    return fit_recommender(sample_courses, sample_jobs, config, reader, progress=False)


TINY_TAGS = {"autoencoder_epochs": 2, "epochs": 12, "encoder_hidden": 64, "learning_rate": 0.02,
             "batch_size": 64, "hidden": (64, 48, 32, 32, 16), "reconstruction_features": 256,
             "patience": 4}


@pytest.fixture(scope="session")
def tag_trainer(reader):
    from training.tags.config import TagTrainingConfig
    from training.tags.trainer import TagTrainer

    return TagTrainer(TagTrainingConfig.from_dict(TINY_TAGS), reader, progress=False)


@pytest.fixture(scope="session")
def tag_model_and_report(sample_jobs, tag_trainer):
    from pipelines.jobs import read_jobs

    unlabeled = read_jobs(SAMPLE / "unlabeled.jsonl")[0]
    return tag_trainer.fit(sample_jobs, unlabeled)


@pytest.fixture(scope="session")
def tag_model(tag_model_and_report):
    return tag_model_and_report[0]


@pytest.fixture(scope="session")
def skill_extractor_and_report(sample_courses, sample_jobs, reader):
    from training.skills.calibrate import read_graded_postings
    from training.skills.fit import fit_skills
    from training.skills.taxonomy import read_taxonomy

    taxonomy = read_taxonomy(SAMPLE / "skills.jsonl")[0]
    return fit_skills(taxonomy, reader, [job.description for job in sample_jobs],
                      sample_courses, graded=read_graded_postings(SAMPLE / "skill_judgments"),
                      encoder="word2vec", progress=False)


@pytest.fixture(scope="session")
def skill_extractor(skill_extractor_and_report):
    return skill_extractor_and_report[0]


@pytest.fixture(scope="session")
def path_component(recommender, skill_extractor):
    from training.inputs import TrainingInputs
    from training.path.train import train_component

    return train_component(TrainingInputs(judgments=SAMPLE / "judgments"),
                           {"recommend": recommender, "skills": skill_extractor})


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, reader, recommender, tag_model, skill_extractor,
                 path_component):
    """A bundle store whose live bundle holds every sample model."""
    from runtime.bundles import BundleStore
    from training.bundle import Component, write_bundle

    root = tmp_path_factory.mktemp("models")
    write_bundle(BundleStore(root), [
        Component("reader", reader, {"tiny": True}),
        Component("recommend", recommender, {"tiny": True}),
        Component("tags", tag_model, {"tiny": True}),
        Component("skills", skill_extractor, {"tiny": True}),
        path_component,
    ])
    return root
