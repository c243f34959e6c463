from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from runtime.skills import load_skills, save_skills
from runtime.skills.model import UnknownSkillError

ANALYST = ("Data Analyst", "Write SQL queries against the warehouse and build dashboards in "
           "Tableau. We are an equal opportunity employer. Benefits include dental insurance.")


def _labels(matches):
    return [m.skill.label for m in matches]


def test_a_posting_gets_its_skills_with_probabilities_and_evidence(skill_extractor):
    found = skill_extractor.extract(*ANALYST, k=5)
    assert {"SQL", "Tableau"} <= set(_labels(found))
    sql = next(m for m in found if m.skill.label == "SQL")
    assert "SQL queries" in sql.evidence and sql.skill.uri.endswith(":sql")
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert all(skill_extractor.config.threshold <= m.score <= 1 for m in found)


def test_boilerplate_is_not_evidence(skill_extractor):
    assert not any("equal opportunity" in m.evidence or "dental" in m.evidence
                   for m in skill_extractor.extract(*ANALYST, k=10))


@pytest.mark.parametrize("text", ["", "   ", "<p><br/></p>",
                                  "We are an equal opportunity employer and consider all "
                                  "qualified applicants. Benefits include medical, dental and "
                                  "vision insurance and a 401k match."])
def test_a_posting_with_no_job_text_gets_no_skills(skill_extractor, text):
    assert skill_extractor.extract("", text) == []


def test_k_is_a_cap_and_fewer_come_back_when_fewer_are_likely(skill_extractor):
    assert len(skill_extractor.extract(*ANALYST, k=1)) == 1
    everything = skill_extractor.extract(*ANALYST, k=50)
    assert len(everything) < 50


def test_named_skills_are_resolved_and_unknown_ones_refused(skill_extractor):
    sql = skill_extractor.resolve(["sql"])[0]
    assert skill_extractor.resolve([sql.uri]) == [sql]
    with pytest.raises(UnknownSkillError, match="quantum knitting"):
        skill_extractor.resolve(["SQL", "quantum knitting"])


def test_one_sentence_is_ranked_on_its_own(skill_extractor):
    """No reader decides what counts: a line of a benchmark or a `predict` file is one part."""
    ranked = skill_extractor.rank("Analyse data in Python with pandas.", k=3)
    assert {"Python", "pandas"} <= set(_labels(ranked))
    assert all(m.evidence == "Analyse data in Python with pandas." for m in ranked)


def test_deterministic_across_threads_and_saving(skill_extractor, tmp_path):
    first = skill_extractor.extract(*ANALYST, k=10)
    with ThreadPoolExecutor(4) as pool:
        again = list(pool.map(lambda _: skill_extractor.extract(*ANALYST, k=10), range(8)))
    assert all(r == first for r in again)
    save_skills(skill_extractor, tmp_path)
    loaded = load_skills(tmp_path, skill_extractor.reader)
    assert loaded.extract(*ANALYST, k=10) == first
    assert loaded.course_skills == skill_extractor.course_skills
    assert not loaded.encoder.vectors.flags.owndata  # memory-mapped: one copy for all workers


@pytest.mark.parametrize("text", ["", "   ", "qqq zzz", "x" * 60_000])
def test_empty_garbage_and_huge_text_do_not_break_it(skill_extractor, text):
    found = skill_extractor.extract("", text, k=3)
    assert len(found) <= 3 and all(np.isfinite(m.score) for m in found)


def test_courses_carry_the_skills_they_teach(skill_extractor, sample_courses):
    course = next(c for c in sample_courses if "SQL" in c.skills)
    uris = {uri for uri, _ in skill_extractor.course_skills[course.id]}
    assert "urn:careerpath:sample-skill:sql" in uris


def test_a_skill_extractor_of_an_earlier_release_is_refused_with_what_to_do(skill_extractor,
                                                                           tmp_path):
    from runtime.errors import OutdatedComponentError

    (tmp_path / "config.json").write_text('{"words_weight": 0.5}')
    with pytest.raises(OutdatedComponentError, match="careerpath train skills"):
        load_skills(tmp_path, skill_extractor.reader)
