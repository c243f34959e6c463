from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from runtime.tfidf import TfidfIndex

DOCUMENTS = [["python", "sql", "python"], ["nursing", "care", "patient", "care"],
             ["sql", "database", "design"], ["care"]]


def test_weights_are_scikit_learns_sublinear_tfidf():
    index = TfidfIndex.fit(DOCUMENTS)
    reference = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
    expected = reference.fit_transform(DOCUMENTS).toarray()
    queries = [*DOCUMENTS, ["python", "unknown", "care", "care", "care"]]
    np.testing.assert_allclose(index.transform(queries).toarray(),
                               reference.transform(queries).toarray())
    np.testing.assert_allclose(index.transform(DOCUMENTS).toarray(), expected)


def test_unknown_words_give_an_empty_row():
    columns, weights = TfidfIndex.fit(DOCUMENTS).row(Counter(["zebra", "quux"]))
    assert len(columns) == 0 and len(weights) == 0


def test_survives_a_round_trip():
    index = TfidfIndex.fit(DOCUMENTS)
    again = TfidfIndex.from_dict(index.to_dict())
    assert list(again.terms) == list(index.terms)
    np.testing.assert_allclose(again.transform(DOCUMENTS).toarray(),
                               index.transform(DOCUMENTS).toarray())
