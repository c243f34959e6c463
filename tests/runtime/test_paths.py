"""Learning paths on the sample models."""

from __future__ import annotations

import pytest

from runtime.bundles import resolve_bundle
from runtime.errors import PostingError
from runtime.loaded import load_bundle
from runtime.path import Candidate, near_duplicate, plan_path
from runtime.schemas import PathRequest, Profile, RecommendRequest

ANALYST = {"title": "Data Analyst", "description": "Write SQL queries against the warehouse, "
           "build dashboards in Tableau, clean messy data sets with pandas and design A/B "
           "tests. Benefits include dental insurance."}


@pytest.fixture(scope="module")
def bundle(sample_store):
    return load_bundle(resolve_bundle(sample_store))


def test_a_path_covers_different_skills_foundations_first(bundle):
    path = bundle.learning_path(PathRequest(**ANALYST))
    assert 1 <= len(path.courses) <= 5
    # the tiny sample matcher also finds a stray skill or two (REST APIs, once seeded alike)
    assert path.courses[0].id.startswith("data-science-")
    assert all(c.confidence >= bundle.planner.floor for c in path.courses)
    taught = [frozenset(s.uri for s in c.skills) for c in path.courses]
    assert len(set(taught)) == len(taught) and all(taught)
    levels = {"beginner": 0, "intermediate": 1, "advanced": 2}
    order = [levels.get(c.level, 1) for c in path.courses]
    assert order == sorted(order)
    assert {s.uri for s in path.covered} == set().union(*taught)


def test_a_profile_with_every_skill_gets_an_empty_path(bundle):
    first = bundle.learning_path(PathRequest(**ANALYST))
    every = [s.uri for s in first.covered + first.uncovered] + [
        m.skill.uri for m in bundle.skill_extractor.extract(
            ANALYST["title"], ANALYST["description"], bundle.planner.posting_skills)]
    path = bundle.learning_path(PathRequest(**ANALYST, profile=Profile(skills=every)))
    assert path.courses == [] and path.covered == []
    assert {s.uri for s in path.already_have} == set(every)
    assert "already covers" in path.explanation


def test_a_profile_in_free_text_removes_what_it_names(bundle):
    path = bundle.learning_path(PathRequest(**ANALYST, profile=Profile(
        text="Five years of SQL and pandas reporting.")))
    assert {"SQL", "pandas"} <= {s.label for s in path.already_have}
    assert not {"SQL", "pandas"} & {s.label for c in path.courses for s in c.skills}


def test_a_posting_outside_the_catalog_gets_an_empty_path_or_low_confidence(bundle):
    pilot = PathRequest(title="Airline Pilot", description="Fly commercial aircraft on "
                        "international routes. FAA airline transport pilot certificate and "
                        "2,000 flight hours required.")
    path = bundle.learning_path(pilot)
    if path.courses:
        assert max(c.confidence for c in path.courses) < 0.7
    else:
        assert path.explanation.startswith("nothing in the catalog fits this job")


def test_paths_are_deterministic(bundle):
    assert bundle.learning_path(PathRequest(**ANALYST)) == bundle.learning_path(
        PathRequest(**ANALYST))


def test_an_unknown_profile_skill_is_a_posting_error(bundle):
    with pytest.raises(PostingError, match="unknown skills"):
        bundle.learning_path(PathRequest(**ANALYST, profile=Profile(skills=["juggling"])))


def test_recommendations_carry_calibrated_confidence_and_can_drop_the_unsure(bundle):
    every = bundle.recommend(RecommendRequest(**ANALYST, k=20)).courses
    assert all(0 <= c.confidence <= 1 for c in every)
    assert every[0].confidence > every[-1].confidence
    sure = bundle.recommend(RecommendRequest(**ANALYST, k=20, min_confidence=0.5)).courses
    assert [c.id for c in sure] == [c.id for c in every if c.confidence >= 0.5]


def test_the_planner_never_pads_and_never_repeats():
    candidates = [Candidate("a", "Introduction to SQL", "beginner", 0.9, frozenset({"sql"})),
                  Candidate("b", "SQL: an Introduction", "beginner", 0.9, frozenset({"sql", "x"})),
                  Candidate("c", "Advanced Tableau", "advanced", 0.8, frozenset({"viz"})),
                  Candidate("d", "Tableau Basics", "beginner", 0.7, frozenset({"viz"})),
                  Candidate("e", "Cooking", None, 0.2, frozenset({"cook"}))]
    path = plan_path(candidates, {"sql": 1.0, "viz": 1.0, "cook": 1.0, "x": 0.1}, 5, 0.5)
    # surest first: b repeats a's title, d teaches nothing c does not, e is unsure
    assert [c.id for c in path.courses] == ["a", "c"]
    assert near_duplicate("Introduction to SQL", "SQL: an Introduction")
    assert plan_path(candidates, {"sql": 1.0}, 5, 0.95).courses == []


def test_confidence_reads_how_far_a_course_stands_out_from_the_catalog(bundle):
    """The same scores mean less when the whole catalog scores as high for the posting."""
    from runtime.recommend import Ranking

    ranking = bundle.recommender.ranking(ANALYST["title"], ANALYST["description"], 5)
    standing_out = bundle.planner.calibration.probabilities(ranking, [1] * 5)
    background = Ranking(ranking.courses, ranking.courses[0].score, ranking.spread)
    nothing_stands_out = bundle.planner.calibration.probabilities(background, [1] * 5)
    assert nothing_stands_out[0] < standing_out[0]
    empty = Ranking([], 0.0, 0.0)
    assert bundle.planner.calibration.probabilities(empty, []).shape == (0,)


def test_a_path_course_says_which_skills_it_adds_and_carries_a_result_card(bundle):
    path = bundle.learning_path(PathRequest(**ANALYST))
    seen: set[str] = set()
    for course in path.courses:
        assert course.url and course.provider and 0 <= course.confidence <= 1
        assert {s.uri for s in course.adds} == {s.uri for s in course.skills} - seen
        seen |= {s.uri for s in course.skills}


def test_nothing_fits_is_said_in_the_jobs_terms(bundle):
    answer = bundle.recommend(RecommendRequest(
        title="Airline Pilot", description="Fly commercial aircraft on international routes. "
        "FAA airline transport pilot certificate and 2,000 flight hours required."))
    likeliest = max(c.confidence for c in answer.courses)
    if likeliest < bundle.planner.floor:
        assert answer.explanation.startswith("nothing in the catalog fits this job")
    else:
        assert answer.explanation is None
    sure = bundle.recommend(RecommendRequest(**ANALYST, min_confidence=bundle.planner.floor))
    assert sure.courses and sure.explanation is None
