import dataclasses

from runtime.recommend import RecommenderConfig
from runtime.recommend.tokens import course_tokens, posting_tokens
from runtime.tfidf import TfidfIndex
from training.recommend.fit import matched_courses


def _index(courses, config):
    documents = [course_tokens(course, config) for course in courses]
    lexicon = TfidfIndex.fit(documents)
    return lexicon, lexicon.transform(documents)


def test_a_corpus_posting_is_tagged_with_the_courses_it_matches(sample_courses, reader):
    config = RecommenderConfig(corpus_course_tags=3, corpus_tag_min_similarity=0.05)
    lexicon, course_tfidf = _index(sample_courses, config)
    course = sample_courses[0]
    documents = [posting_tokens("", f"{course.title}. {course.description}", config, reader),
                 posting_tokens("", "zebra xylophone quokka", config, reader)]
    matched = matched_courses(lexicon, course_tfidf, documents, config, chunk=1)
    assert 0 in matched[0] and len(matched[0]) <= 3
    assert matched[1] == []


def test_the_similarity_floor_and_switch_are_honoured(sample_courses, reader):
    config = RecommenderConfig(corpus_course_tags=5, corpus_tag_min_similarity=0.99)
    lexicon, course_tfidf = _index(sample_courses, config)
    documents = [posting_tokens("Data Analyst", "SQL dashboards in Tableau", config, reader)]
    assert matched_courses(lexicon, course_tfidf, documents, config) == [[]]
    off = dataclasses.replace(config, corpus_course_tags=0, corpus_tag_min_similarity=0.0)
    assert matched_courses(lexicon, course_tfidf, documents, off) == [[]]
    loose = dataclasses.replace(config, corpus_tag_min_similarity=0.0)
    assert len(matched_courses(lexicon, course_tfidf, documents, loose)[0]) == 5
