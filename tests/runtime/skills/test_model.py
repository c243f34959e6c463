from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from runtime.skills import load_skills, save_skills
from runtime.skills.model import char_terms

ANALYST = ("Data Analyst", "Write SQL queries against the warehouse and build dashboards in "
           "Tableau. We are an equal opportunity employer. Benefits include dental insurance.")


def _labels(matches):
    return [m.skill.label for m in matches]


def test_a_posting_gets_its_skills_with_evidence(skill_extractor):
    found = skill_extractor.extract(*ANALYST, k=5)
    assert {"SQL", "Tableau"} <= set(_labels(found))
    sql = next(m for m in found if m.skill.label == "SQL")
    assert "SQL queries" in sql.evidence and sql.skill.uri.endswith(":sql")
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_boilerplate_is_not_evidence(skill_extractor):
    assert not any("equal opportunity" in m.evidence or "dental" in m.evidence
                   for m in skill_extractor.extract(*ANALYST, k=10))


def test_a_skill_is_found_from_an_alternative_label(skill_extractor):
    assert _labels(skill_extractor.rank("Write reports in structured query language."))[
        0] == "SQL"
    assert _labels(skill_extractor.rank("Two years of lift truck driving on night shifts."))[0] == (
        "forklift operation")


def test_one_sentence_is_ranked_on_its_own(skill_extractor):
    sentence = "We are an equal opportunity employer with Python and pandas."
    assert {"Python", "pandas"} <= set(_labels(skill_extractor.extract("", sentence, k=3)))


def test_deterministic_across_threads_and_saving(skill_extractor, tmp_path):
    first = skill_extractor.extract(*ANALYST, k=10)
    with ThreadPoolExecutor(4) as pool:
        again = list(pool.map(lambda _: skill_extractor.extract(*ANALYST, k=10), range(8)))
    assert all(r == first for r in again)
    save_skills(skill_extractor, tmp_path)
    loaded = load_skills(tmp_path, skill_extractor.reader)
    assert loaded.extract(*ANALYST, k=10) == first
    assert loaded.course_skills == skill_extractor.course_skills


def test_the_vectors_are_memory_mapped_and_older_bundles_still_load(skill_extractor, tmp_path):
    save_skills(skill_extractor, tmp_path)
    loaded = load_skills(tmp_path, skill_extractor.reader)
    for array in (loaded.word_vectors.vectors, loaded._skill_vectors_t):
        assert not array.flags.owndata and not array.flags.writeable  # the read-only map
    older = tmp_path / "older"  # the layout of earlier releases: every array in vectors.npz
    save_skills(skill_extractor, older)
    vectors = skill_extractor.word_vectors
    np.savez(older / "vectors.npz", words=np.array(sorted(vectors.vocabulary,
                                                          key=vectors.vocabulary.__getitem__)),
             vectors=vectors.vectors, idf=vectors.idf, skills=skill_extractor.skill_vectors)
    for name in ("word_vectors.npy", "skill_vectors_t.npy"):
        (older / name).unlink()
    again = load_skills(older, skill_extractor.reader)
    assert again.extract(*ANALYST, k=10) == loaded.extract(*ANALYST, k=10)


@pytest.mark.parametrize("text", ["", "   ", "qqq zzz", "x" * 60_000])
def test_empty_garbage_and_huge_text_do_not_break_it(skill_extractor, text):
    found = skill_extractor.extract("", text, k=3)
    assert len(found) <= 3 and all(np.isfinite(m.score) for m in found)


def test_courses_carry_the_skills_they_teach(skill_extractor, sample_courses):
    course = next(c for c in sample_courses if "SQL" in c.skills)
    uris = {uri for uri, _ in skill_extractor.course_skills[course.id]}
    assert "urn:careerpath:sample-skill:sql" in uris


def test_character_grams_pad_each_word():
    assert char_terms("C++") == [" c+", "c++", "++ ", " c++", "c++ ", " c++ "]


def test_character_rows_equal_the_tfidf_transform_of_the_grams(skill_extractor):
    texts = [ANALYST[1], "C++ and C# programmer", "", "zzzz qqqq", "SQL SQL sql, Tableau!"]
    fast = skill_extractor.char_rows(texts)
    plain = skill_extractor.chars.transform(char_terms(text) for text in texts)
    assert fast.shape == plain.shape
    np.testing.assert_allclose(fast.toarray(), plain.toarray(), rtol=0, atol=1e-12)
