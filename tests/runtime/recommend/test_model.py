import json
import os
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import pytest

from runtime.errors import UnknownTextError
from runtime.ranking import top_k
from runtime.reader import save_reader
from runtime.recommend import (
    Filters,
    RecommenderConfig,
    load_recommender,
    save_recommender,
)
from runtime.recommend.doc2vec import infer_vector
from runtime.recommend.reasons import readable_term
from tests.conftest import TINY_RECOMMENDER
from training.recommend.fit import fit_recommender

NURSE = ("Registered Nurse", "Assess patients, administer medication and provide wound care. "
         "Document vital signs in the electronic health record. Benefits: dental, 401k.")


def _ids(found):
    return [r.course.id for r in found]


def test_ranks_courses_of_the_postings_field_first(recommender):
    found = recommender.recommend(*NURSE, k=5)
    assert len(found) == 5
    assert all(course_id.startswith("nursing-") for course_id in _ids(found)[:3])
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)


def test_reason_names_what_job_and_course_share(recommender):
    top = recommender.recommend(*NURSE, k=1)[0]
    assert top.reason.startswith("Covers ")
    assert top.shared_terms and all(t.lower() in top.reason.lower() for t in top.shared_terms)


def test_field_accuracy_over_the_sample_postings(recommender, sample_jobs):
    hits = [
        recommender.recommend(job.title, job.description, k=1)[0].course.id.split("-")[0]
        == job.id.split("-")[0]
        for job in sample_jobs[::7]
    ]
    assert sum(hits) / len(hits) >= 0.8


@pytest.mark.parametrize("posting_vector", ["output_words", "inferred"])
def test_doc2vec_alone_ranks_the_postings_field_first(recommender, sample_jobs, posting_vector):
    doc2vec_only = recommender.with_config(doc2vec_weight=1.0, posting_vector=posting_vector)
    test_field_accuracy_over_the_sample_postings(doc2vec_only, sample_jobs)


def test_bundles_saved_before_the_posting_vector_choice_keep_inferring(recommender, tmp_path):
    save_recommender(recommender, tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    del config["posting_vector"]
    (tmp_path / "config.json").write_text(json.dumps(config))
    loaded = load_recommender(tmp_path, recommender.reader)
    assert loaded.config.posting_vector == "inferred"
    inferring = recommender.with_config(posting_vector="inferred")
    assert _ids(loaded.recommend(*NURSE, k=10)) == _ids(inferring.recommend(*NURSE, k=10))


def test_an_unknown_posting_vector_is_refused():
    with pytest.raises(ValueError, match="posting_vector"):
        RecommenderConfig(posting_vector="averaged")


def test_same_input_same_answer_even_across_threads(recommender):
    first = recommender.recommend(*NURSE, k=10)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: recommender.recommend(*NURSE, k=10), range(12)))
    assert all(_ids(r) == _ids(first) and [x.score for x in r] == [x.score for x in first]
               for r in results)


SCORES_IN_A_NEW_PROCESS = """
import json, pathlib, sys
from runtime.reader import load_reader
from runtime.recommend import load_recommender
directory = pathlib.Path(sys.argv[1])
reader = load_reader(directory / "reader")
found = load_recommender(directory, reader).recommend(*json.loads(sys.argv[2]))
print(json.dumps([(r.course.id, r.score) for r in found]))
"""


def test_same_answer_in_every_worker_process(recommender, tmp_path):
    """Python salts `hash` per process; inference must not depend on it."""
    save_recommender(recommender, tmp_path)
    save_reader(recommender.reader, tmp_path / "reader")
    answers = [
        subprocess.run([sys.executable, "-c", SCORES_IN_A_NEW_PROCESS, str(tmp_path),
                        json.dumps([*NURSE, 10])], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    ]
    assert json.loads(answers[0]) == json.loads(answers[1])


@pytest.mark.parametrize("mode", [{"dm": 0}, {"dm": 1}, {"dm": 1, "dm_concat": 1}])
def test_inference_is_gensims_with_a_stable_start(sample_courses, monkeypatch, mode):
    import gensim.models.doc2vec as gensim_doc2vec
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument

    stable = partial(gensim_doc2vec.pseudorandom_weak_vector,
                     hashfxn=lambda text: zlib.crc32(text.encode()))
    monkeypatch.setattr(gensim_doc2vec, "pseudorandom_weak_vector", stable)
    documents = [TaggedDocument(c.description.lower().split(), [c.id]) for c in sample_courses]
    model = Doc2Vec(documents, vector_size=16, min_count=1, epochs=2, workers=1, **mode)
    words = ["patient", "care", "medication", "wound"]
    assert all(word in model.wv.key_to_index for word in words)
    model.random = np.random.RandomState(7)
    expected = model.infer_vector(words, epochs=10)
    model.random = np.random.RandomState(7)
    np.testing.assert_array_equal(infer_vector(model, words, 10), expected)


def test_training_is_reproducible(sample_courses, sample_jobs, recommender):
    again = fit_recommender(sample_courses, sample_jobs,
                            RecommenderConfig.from_dict(TINY_RECOMMENDER), recommender.reader,
                            progress=False)
    assert _ids(again.recommend(*NURSE, k=10)) == _ids(recommender.recommend(*NURSE, k=10))


def test_filters_by_level_provider_and_language(recommender):
    beginner = recommender.recommend(*NURSE, k=20, filters=Filters(level="beginner"))
    assert beginner and all(r.course.level == "beginner" for r in beginner)
    provider = recommender.recommend(*NURSE, k=20, filters=Filters(provider="lakeside college"))
    assert provider and all(r.course.provider == "Lakeside College" for r in provider)
    spanish = recommender.recommend(*NURSE, k=20, filters=Filters(language="es"))
    assert spanish and all(r.course.language == "es" for r in spanish)
    assert recommender.recommend(*NURSE, filters=Filters(provider="Nobody")) == []


@pytest.mark.parametrize("text", ["", "   ", "zxqv blorft wuggle", "!!! ### ..."])
def test_a_posting_with_no_known_word_gets_a_clear_error(recommender, text):
    with pytest.raises(UnknownTextError, match="no word the model knows"):
        recommender.recommend("", text)


def test_huge_posting_is_handled(recommender):
    found = recommender.recommend(NURSE[0], NURSE[1] * 400, k=3)
    assert _ids(found)[0].startswith("nursing-")


def test_save_and_load_give_the_same_rankings(recommender, tmp_path):
    save_recommender(recommender, tmp_path)
    loaded = load_recommender(tmp_path, recommender.reader)
    assert loaded.config == recommender.config
    original, reloaded = recommender.recommend(*NURSE, k=10), loaded.recommend(*NURSE, k=10)
    assert _ids(reloaded) == _ids(original)
    assert [r.score for r in reloaded] == pytest.approx([r.score for r in original], abs=1e-5)


@pytest.mark.parametrize("k", [1, 3, 10, 40])
def test_top_k_matches_a_stable_full_sort(k: int) -> None:
    scores = np.random.default_rng(k).integers(0, 6, 30).astype(float)  # many ties
    assert list(top_k(scores, k)) == list(np.argsort(-scores, kind="stable")[:k])


def test_reasons_leave_out_numbers_stray_letters_and_url_parts():
    assert [t for t in ["10", "www", "com", "o", "sql", "r", "c", "tableau"]
            if readable_term(t)] == ["sql", "r", "c", "tableau"]
