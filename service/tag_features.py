"""Job posting -> the tag model's inputs: hashed word n-grams (a fixed 2^15 space, so unseen
words still map) and engineered features (the original's simple text statistics plus the
requirement patterns the tags hinge on). Shared by training and serving."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from pipelines.text import STOP_WORDS, analyze, clean, normalize, tokenize

N_FEATURES = 2**15
_NUMBER = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_YEARS = re.compile(_NUMBER + r"\s*\+?\s*(?:(?:-|–|to|or)\s*" + _NUMBER + r")?\s*\+?\s*"
                    r"(?:\(\d+\)\s*)?(?:full\s+)?(?:years?|yrs?)\b")
_MONTHS = re.compile(_NUMBER + r"\s*\+?\s*months?\b")
PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern) for name, pattern in {
        "part_time": r"\bpart[\s-]?time\b|\bprn\b|\bper diem\b",
        "full_time": r"\bfull[\s-]?time\b|\b40 hours\b",
        "hourly": r"per hour|an hour|/\s*(?:hr|hour)\b|\bhourly\b|\bph\b",
        "salary": r"\bsalar(?:y|ies|ied)\b|per year|a year\b|per annum|\bannual(?:ly)?\b|"
                  r"/\s*(?:yr|year)\b|\bexempt\b",
        "big_amount": r"\$\s*\d{2,3}(?:,\d{3}|\s*k)\b",
        "small_amount": r"\$\s*\d{1,2}(?:\.\d{2})?\b(?![,\d]|\s*k)",
        "associate": r"\bassociate'?s?\s+(?:degree|of)|\ba\.?a\.?s?\.?\s+degree|"
                     r"two[- ]year degree|\bassociates\b",
        "bachelor": r"\bbachelor|\bb\.?s\.?\b|\bb\.?a\.?\b|\bbsn\b|\bbba\b|"
                    r"(?:four|4)[- ]year (?:college )?degree|college degree|undergraduate",
        "master_phd": r"\bmaster'?s?\b|\bm\.?s\.?\b|\bmba\b|\bph\.?\s?d\b|doctor(?:al|ate)|"
                      r"graduate degree|\bmsn\b|\bpharm\.?d\b|\bmd\b",
        "degree": r"\bdegree\b",
        "high_school": r"high school|\bged\b|diploma",
        "licence": r"\blicen[cs](?:e|ed|ure|es)?\b|\bcertifi(?:ed|cate|cation)\b|\brn\b|\blpn\b|"
                   r"\bcdl\b|\bcpa\b",
        "drivers_licence": r"driver'?s?\s+licen[cs]e",
        "supervise": r"\bsupervis|\bmanag(?:e|es|ing) (?:a |the |our )?(?:team|staff|"
                     r"employees|crew)|\blead(?:s|ing)? (?:a |the )?team|direct reports|"
                     r"\bforeman\b|\bmanager\b|\bleadership\b",
        "experience": r"\bexperience\b",
        "no_experience": r"no experience|experience (?:is )?not required|will train",
        "required": r"\brequired\b|\bmust\b|\brequires?\b",
        "preferred": r"\bpreferred\b|\bplus\b|\bdesired\b",
    }.items()
}
STATISTICS = ("chars", "words", "word_density", "punctuation", "upper_case_words",
              "stop_words", "title_words")
YEAR_BUCKETS = ("years_under_1", "years_1", "years_2_4", "years_5_plus")
ENGINEERED_NAMES = (*STATISTICS, *PATTERNS, *YEAR_BUCKETS)


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else _WORDS[text]


def year_buckets(text: str) -> list[int]:
    """How often the posting asks for <1, 1, 2-4 and 5+ years (the lower bound of a range)."""
    counts = [0, 0, 0, 0]
    for match in _YEARS.finditer(text):
        years = _number(match.group(1))
        if years is None or years > 40:
            continue
        counts[1 if years == 1 else 2 if years <= 4 else 3 if years >= 5 else 0] += 1
    for match in _MONTHS.finditer(text):
        months = _number(match.group(1)) or 0
        counts[1 if months >= 12 else 0] += 1
    return counts


def _identity(terms: list[str]) -> list[str]:
    return terms


class TagFeaturizer:
    """Stateless: the same posting always gives the same features."""

    def __init__(self, n_features: int = N_FEATURES, ngram_max: int = 2) -> None:
        self.n_features = n_features
        self.ngram_max = ngram_max
        self._hasher = HashingVectorizer(
            analyzer=_identity, n_features=n_features, alternate_sign=False, binary=True,
            norm="l2", dtype=np.float32,
        )

    def terms(self, title: str, description: str) -> list[str]:
        """Word 1..n-grams of the stemmed description (stop words kept: 'per hour', 'at least'),
        and the title's words marked as such."""
        return self._terms(title, clean(description))

    def _terms(self, title: str, cleaned: str) -> list[str]:
        tokens = normalize(tokenize(cleaned), drop_stop_words=False)
        grams = list(tokens)
        for n in range(2, self.ngram_max + 1):
            grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
        return grams + [f"title:{t}" for t in analyze(title, drop_stop_words=False)]

    def hashed(self, postings: Sequence[tuple[str, str]]) -> sparse.csr_matrix:
        return self.transform(postings)[0]

    def engineered(self, postings: Sequence[tuple[str, str]]) -> np.ndarray:
        return np.array([self._engineered(t, clean(d)) for t, d in postings], dtype=np.float32)

    def transform(self, postings: Sequence[tuple[str, str]]) -> tuple[sparse.csr_matrix,
                                                                      np.ndarray]:
        """Both inputs of the model, cleaning each posting once."""
        cleaned = [(title, clean(description)) for title, description in postings]
        hashed = self._hasher.transform([self._terms(t, c) for t, c in cleaned])
        engineered = np.array([self._engineered(t, c) for t, c in cleaned], dtype=np.float32)
        return hashed, engineered

    @staticmethod
    def _engineered(title: str, text: str) -> list[float]:
        lower = text.lower()
        words = text.split()
        statistics = [
            len(text), len(words), len(text) / (len(words) + 1),
            sum(ch in string.punctuation for ch in text),
            sum(w.isupper() and len(w) > 1 for w in words),
            sum(w.lower() in STOP_WORDS for w in words),
            len(title.split()),
        ]
        patterns = [len(pattern.findall(lower)) for pattern in PATTERNS.values()]
        return [float(np.log1p(v)) for v in (*statistics, *patterns, *year_buckets(lower))]
