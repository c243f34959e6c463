"""Job posting -> the tag model's inputs: hashed word n-grams (a fixed 2^15 space, so unseen
words still map) and engineered features (the original's simple text statistics plus the
requirement patterns the tags hinge on). Shared by training and serving.

The patterns run on RE2 (linear-time automata): Python's backtracking engine tries their
alternations at every position, which dominated a posting's cost. Terms are hashed with
MurmurHash3 exactly as scikit-learn's `HashingVectorizer` does (a parity test holds them
together), without its per-call overhead or its import cost in the service."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterator, Sequence
from functools import partial
from itertools import compress

import mmh3
import numpy as np
import re2
from scipy import sparse

from pipelines.text import STOP_WORDS, Memo, analyze, clean, normalize, tokenize
from runtime.reader import PostingReader

N_FEATURES = 2**15
PART_THRESHOLD = 0.3
_NUMBER = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_YEARS = _NUMBER + r"\s*\+?\s*(?:(?:-|–|to|or)\s*" + _NUMBER + r")?\s*\+?\s*" \
    r"(?:\(\d+\)\s*)?(?:full\s+)?(?:years?|yrs?)\b"
_MONTHS = _NUMBER + r"\s*\+?\s*months?\b"
_HOURS_A_WEEK = r"\b(\d{1,2})\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*(?:hours|hrs?)\s*" \
    r"(?:per|a|/|each)?\s*(?:week|wk)\b"
_BACHELOR = r"\bbachelor|\bb\.?s\.?\b|\bb\.?a\.?\b|\bbsn\b|\bbba\b|" \
    r"(?:four|4)[- ]year (?:college )?degree|undergraduate"
_MONEY = r"\$\s*\d[\d,.]*\s*k?"
# A sentence that states a term of the job: its pay, schedule, experience, degree or licence
# ("This is a part-time position", "$25/hour", "Base salary: $40,000", "3+ years of sales
# experience"). Boards state pay under "Benefits" and schedules under "About us", where the
# reader rightly doubts the rest; generic talk ("competitive salary", "in business for 26
# years") states nothing.
STATED_TERM = re.compile(
    r"(?:full|part)[\s-]?time\s+(?:position|job|role|schedule|employment|opportunit|hours|"
    r"work|shift|status)|"
    r"(?:position|job|role|this)\s+(?:is|will be)\s+(?:a\s+)?(?:temp\W+)?(?:full|part)[\s-]?time|"
    r"job types?:|employment types?:|schedule:|"
    + _MONEY + r"\s*(?:-|to|–)\s*" + _MONEY + "|"
    + _MONEY + r"\s*(?:/|per|an|a)\s*(?:hour|hr|year|yr|annum|week|month)|"
    r"(?:salary|pay|wage|rate|compensation)\s*(?:range|rate)?\s*(?:is|of|:)?\s*\$|"
    + _YEARS + r"\s+(?:of\s+)?(?:\w+\s+){0,4}experience|"
    r"(?:bachelor|associate|master)'?s?\s+(?:degree|of|in)|degree\s+(?:is\s+)?(?:required|preferred)|"
    r"(?:must|should)\s+(?:be|have|hold)\s+(?:an?\s+)?(?:[\w'-]+\s+){0,3}"
    r"(?:licen[cs]ed|certified|licen[cs]e|certification)\b|"
    r"(?:licen[cs]e|certification)s?\s+(?:is\s+|are\s+)?required", re.IGNORECASE)
# Matched against the lower-cased posting.
PATTERNS: dict[str, str] = {
        "part_time": r"\bpart[\s-]?time\b|\bprn\b|\bper diem\b",
        "full_time": r"\bfull[\s-]?time\b|\b40 hours\b",
        "hourly": r"per hour|an hour|/\s*(?:hr|hour)\b|\bhourly\b|\bph\b",
        "salary": r"\bsalar(?:y|ies|ied)\b|per year|a year\b|per annum|\bannual(?:ly)?\b|"
                  r"/\s*(?:yr|year)\b|\bexempt\b",
        "big_amount": r"\$\s*\d{2,3}(?:,\d{3}|\s*k)\b",
        # "$15" but not "$15,000" or "$15k" (RE2 has no lookahead, so the next character is
        # part of the match)
        "small_amount": r"\$\s*\d{1,2}(?:\.\d{2})?(?:$|[^\w,\s]|\s+(?:$|[^\sk]))",
        "associate": r"\bassociate'?s?\s+(?:degree|of)|\ba\.?a\.?s?\.?\s+degree|"
                     r"two[- ]year degree|\bassociates\b",
        "bachelor": _BACHELOR + r"|college degree",
        "master_phd": r"\bmaster'?s?\b|\bm\.?s\.?\b|\bmba\b|\bph\.?\s?d\b|doctor(?:al|ate)|"
                      r"graduate degree|\bmsn\b|\bpharm\.?d\b|\bmd\b",
        # master_phd's "ms" is mostly "MS Office" and its "md" Maryland: this one asks for
        # the degree itself
        "graduate_degree": r"\bmaster'?s?\s+(?:degree|of|in)\b|\bm\.s\.\s|\bms\s+(?:degree|in)\b|"
                           r"\bmba\b|\bph\.?\s?d\b|doctor(?:al|ate)|graduate degree|\bmsn\b|"
                           r"\bpharm\.?d\b",
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
}
STATISTICS = ("chars", "words", "word_density", "punctuation", "upper_case_words",
              "stop_words", "title_words")
YEAR_BUCKETS = ("years_under_1", "years_1", "years_2_4", "years_5_plus")
HOUR_BUCKETS = ("hours_under_30", "hours_30_39", "hours_40_plus")
MOST_YEARS = ("most_years_under_1", "most_years_1", "most_years_2_4", "most_years_5_plus")
# From the lowest schooling to the highest; unlike the patterns above, "college degree" is
# not a bachelor's (its postings are labeled no degree, bachelor's and associate alike) and
# "associates" alone is a shop's staff, not a degree.
DEGREE_LEVELS: dict[str, str] = {
    "lowest_degree_high_school": PATTERNS["high_school"],
    "lowest_degree_associate": r"\bassociate'?s?\s+(?:degree|of|in|or)\b|\bassociates\s+degree|"
                               r"\ba\.?a\.?s?\.?\s+degree|\ba\.?s\.?\s+degree|"
                               r"\b(?:two|2)[- ]year degree",
    "lowest_degree_bachelor": _BACHELOR,
    "lowest_degree_graduate": PATTERNS["graduate_degree"],
}
ENGINEERED_NAMES = (*STATISTICS, *PATTERNS, *YEAR_BUCKETS, *HOUR_BUCKETS, *MOST_YEARS,
                    *DEGREE_LEVELS)


def _number(raw: bytes | None) -> int | None:
    if raw is None:
        return None
    text = raw.decode()
    return int(text) if text.isdigit() else _WORDS[text]


def _compiled(pattern: str) -> re2._Regexp:
    # RE2 reads UTF-8 bytes; encoding the posting once spares every pattern doing it again.
    return re2.compile(pattern.encode())


class _PatternCounter:
    """How often each pattern matches: one pass over the text finds which patterns occur at
    all (an RE2 set), and only those are counted."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.regexes = [_compiled(p) for p in patterns]
        self.any = re2.Set.SearchSet(re2.Options())
        for pattern in patterns:
            self.any.Add(pattern.encode())
        self.any.Compile()

    def counts(self, text: bytes) -> list[int]:
        counts = [0] * len(self.regexes)
        for i in self.which(text):
            counts[i] = len(self.regexes[i].findall(text))
        return counts

    def which(self, text: bytes) -> list[int]:
        """The indices of the patterns that occur in the text."""
        return self.any.Match(text) or []


_PATTERN_COUNTER = _PatternCounter(list(PATTERNS.values()))
_DEGREE_LEVELS = _PatternCounter(list(DEGREE_LEVELS.values()))
_YEARS_REGEX = _compiled(_YEARS)
_MONTHS_REGEX = _compiled(_MONTHS)
_HOURS_REGEX = _compiled(_HOURS_A_WEEK)
_EXPERIENCE_CONTEXT = _compiled(r"experience|\bexp\b|background|work")


def _year_mentions(raw: bytes) -> Iterator[tuple[int, re2._Match]]:
    """Each mention of years or months: its bucket (<1, 1, 2-4, 5+; the lower bound of a
    range) and the match."""
    for match in _YEARS_REGEX.finditer(raw):
        years = _number(match.group(1))
        if years is not None and years <= 40:
            yield (1 if years == 1 else 2 if years <= 4 else 3 if years >= 5 else 0), match
    for match in _MONTHS_REGEX.finditer(raw):
        yield (1 if (_number(match.group(1)) or 0) >= 12 else 0), match


def year_features(text: str | bytes) -> tuple[list[int], list[int]]:
    """How often the posting asks for <1, 1, 2-4 and 5+ years, and a one-hot of the bucket of
    the most years it asks for with an experience word close by (one scan for both). The
    labels follow the largest requirement ("2 years of acute care, 1 year in the specialty"
    is 2-4 years), and "1 year of service" or "for 15 years" in a company's story is no
    requirement."""
    raw = text.encode() if isinstance(text, str) else text
    counts = [0, 0, 0, 0]
    required = []
    for bucket, match in _year_mentions(raw):
        counts[bucket] += 1
        if _EXPERIENCE_CONTEXT.search(raw[max(0, match.start() - 40):match.end() + 60]):
            required.append(bucket)
    most = max(required, default=None)
    return counts, [int(bucket == most) for bucket in range(4)]


def lowest_degree(text: str | bytes) -> list[int]:
    """A one-hot of the lowest schooling the lower-cased posting names (`DEGREE_LEVELS`), all
    zeros when it names none. The degree labels follow the lowest: "high school diploma,
    bachelor's preferred" is no degree tag, "bachelor's, master's preferred" a bachelor's."""
    raw = text.encode() if isinstance(text, str) else text
    lowest = min(_DEGREE_LEVELS.which(raw), default=None)
    return [int(level == lowest) for level in range(len(DEGREE_LEVELS))]


def hour_buckets(text: str | bytes) -> list[int]:
    """How often the posting names under 30, 30-39 and 40+ hours a week (the lower bound of a
    range): "20 hrs per week" says part time where the words "part time" are missing."""
    raw = text.encode() if isinstance(text, str) else text
    counts = [0, 0, 0]
    for match in _HOURS_REGEX.finditer(raw):
        hours = int(match.group(1))
        counts[0 if hours < 30 else 1 if hours < 40 else 2] += 1
    return counts


_PUNCTUATION = string.punctuation.encode()
_STOP_WORDS = frozenset(word.encode() for word in STOP_WORDS)
CLIP_STANDARD_DEVIATIONS = 5.0


def scale(engineered: np.ndarray, mean: np.ndarray, deviation: np.ndarray) -> np.ndarray:
    """The network's engineered input: standardised, and clipped so that one unusual posting
    (a pattern seen once in training, a 50,000-character text) cannot saturate it."""
    return np.clip((engineered - mean) / deviation, -CLIP_STANDARD_DEVIATIONS,
                   CLIP_STANDARD_DEVIATIONS).astype(np.float32)


def hashed_columns(terms: list[str], n_features: int) -> list[int]:
    """The terms' columns: scikit-learn's `HashingVectorizer` index (signed MurmurHash3_32,
    seed 0, absolute value modulo the space)."""
    hashes = np.fromiter(map(mmh3.hash, terms), np.int64, len(terms))
    return (np.abs(hashes) % n_features).tolist()


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (`np.unique` hashes, which is slower at a posting's size)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


class TagFeaturizer:
    """Stateless: the same posting always gives the same features. `engineered`: the
    engineered features to compute, by name; a model trained before a feature was added
    keeps the ones it knows. `part_threshold`: read only the parts of a posting that state the
    job at least this probably (by `reader`), so that benefits and equal-opportunity text
    cannot tag it; None reads everything, as models trained before the reader did.
    `read_terms`: also read the parts that state a term of the job (`STATED_TERM`), however
    much the reader doubts them; models trained before did not."""

    def __init__(self, reader: PostingReader | None, n_features: int = N_FEATURES,
                 ngram_max: int = 2, engineered: Sequence[str] = ENGINEERED_NAMES,
                 part_threshold: float | None = PART_THRESHOLD, read_terms: bool = True) -> None:
        unknown = set(engineered) - set(ENGINEERED_NAMES)
        if unknown:
            raise ValueError(f"engineered features {sorted(unknown)} are unknown to this code")
        if part_threshold is not None and reader is None:
            raise ValueError("reading a posting's job parts needs a posting reader")
        self.reader = reader
        self.n_features = n_features
        self.ngram_max = ngram_max
        self.engineered_names = tuple(engineered)
        self.part_threshold = part_threshold
        self.read_terms = read_terms
        self._kept = (None if self.engineered_names == ENGINEERED_NAMES
                      else [ENGINEERED_NAMES.index(name) for name in engineered])
        self._columns: Memo[str, int] = Memo(partial(hashed_columns, n_features=n_features))

    def __eq__(self, other: object) -> bool:
        """Equal when they compute the same features (their column caches aside)."""
        return isinstance(other, TagFeaturizer) and self._identity() == other._identity()

    def _identity(self) -> tuple:
        reader = self.reader.version if self.reader and self.part_threshold is not None else None
        return (self.n_features, self.ngram_max, self.engineered_names, self.part_threshold,
                self.read_terms, reader)

    __hash__ = None  # type: ignore[assignment]

    def terms(self, title: str, description: str) -> list[str]:
        """Word 1..n-grams of the stemmed description (stop words kept: 'per hour', 'at least'),
        and the title's words marked as such."""
        return self._terms(title, self._clean(description))

    def _clean(self, description: str) -> str:
        if self.part_threshold is None or self.reader is None:
            return clean(description)
        kept = [scored.part.text for scored in self.reader.read(description)
                if scored.job >= self.part_threshold
                or (self.read_terms and STATED_TERM.search(scored.part.text))]
        return clean("\n".join(kept) if kept else description)

    def _terms(self, title: str, cleaned: str) -> list[str]:
        tokens = normalize(tokenize(cleaned), drop_stop_words=False)
        grams = list(tokens)
        for n in range(2, self.ngram_max + 1):
            grams += map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False))
        return grams + [f"title:{t}" for t in analyze(title, drop_stop_words=False)]

    def hashed(self, postings: Sequence[tuple[str, str]]) -> sparse.csr_matrix:
        return self.transform(postings)[0]

    def _hash(self, rows: list[list[str]]) -> sparse.csr_matrix:
        """Binary presence of each term's column, rows scaled to unit length."""
        columns = [_distinct(np.fromiter(self._columns.map(terms), np.int32, len(terms)))
                   for terms in rows]
        data = [np.full(len(c), 1 / math.sqrt(len(c)) if len(c) else 0, dtype=np.float32)
                for c in columns]
        indptr = np.cumsum([0, *map(len, columns)])
        return sparse.csr_matrix(
            (np.concatenate([np.empty(0, np.float32), *data]),
             np.concatenate([np.empty(0, np.int32), *columns]), indptr),
            shape=(len(rows), self.n_features))

    def engineered(self, postings: Sequence[tuple[str, str]]) -> np.ndarray:
        return self._engineered_rows([(t, self._clean(d)) for t, d in postings])

    def transform(self, postings: Sequence[tuple[str, str]]) -> tuple[sparse.csr_matrix,
                                                                      np.ndarray]:
        """Both inputs of the model, cleaning each posting once."""
        cleaned = [(title, self._clean(description)) for title, description in postings]
        return self._hash([self._terms(t, c) for t, c in cleaned]), self._engineered_rows(cleaned)

    def _engineered_rows(self, cleaned: Sequence[tuple[str, str]]) -> np.ndarray:
        rows = np.array([self._engineered(t, c) for t, c in cleaned], dtype=np.float32)
        return rows if self._kept is None else rows[:, self._kept]

    @staticmethod
    def _engineered(title: str, text: str) -> np.ndarray:
        # Cleaned text has only single spaces and newlines between words, so the lower-cased
        # bytes split into the same words, and ASCII punctuation is the same bytes in UTF-8.
        lower = text.lower().encode()
        words = text.split()
        upper_case = compress(words, map(str.isupper, words))
        statistics = [
            len(text), len(words), len(text) / (len(words) + 1),
            len(lower) - len(lower.translate(None, _PUNCTUATION)),
            sum(len(word) > 1 for word in upper_case),
            sum(map(_STOP_WORDS.__contains__, lower.split())),
            len(title.split()),
        ]
        year_counts, most_years = year_features(lower)
        counts = [*statistics, *_PATTERN_COUNTER.counts(lower), *year_counts,
                  *hour_buckets(lower), *most_years, *lowest_degree(lower)]
        return np.log1p(np.asarray(counts, dtype=np.float32))
