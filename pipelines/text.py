"""Text processing shared by training and serving: one implementation, so what is evaluated is
exactly what is served. Everything works offline. Stemming is the Snowball project's own C
binding (PyStemmer): NLTK's Snowball stemmer is slow to import, and every worker would pay
for it at start-up (docs/experiments.md, "Why the code is as it is")."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from html.parser import HTMLParser
from itertools import filterfalse
from typing import Generic, TypeVar

import re2
import Stemmer
from gensim.parsing.preprocessing import STOPWORDS

STOP_WORDS = frozenset(STOPWORDS)

_TOKEN = re.compile(r"[a-z0-9]+(?:[+#]+|(?:\.(?:js|net)))?")
_STEMMER = Stemmer.Stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a PyStemmer object is not thread-safe
_TAG_HINT = re.compile(r"<[a-zA-Z/!][^>]*>")
# U+FFFD is what is left where the source lost a character (e.g. "Youï¿½ll" -> "You\ufffdll").
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\ufffd(?=(?:s|ll|re|ve|t|d|m)(?![\w\ufffd]))")
_LOST_LETTER = re.compile(r"(?<=[A-Za-z])\ufffd(?=[A-Za-z])")
# One RE2 pass (linear time) instead of a backtracking pass per contraction.
_CONTRACTION = re2.compile(
    r"(?i)\b(can|won)'t\b|n't\b|'(re|ll|ve|m)\b|\b(i|you|we|they|he|she)'d\b")
_EXPANDED = {"re": " are", "ll": " will", "ve": " have", "m": " am"}


class _TextExtractor(HTMLParser):
    """Text with a line break where a line or list item ended and a blank line where a
    paragraph, list, table row or heading ended."""

    _LINE = {"br", "li"}
    _BLOCK = {"p", "div", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._LINE or tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(text: str) -> str:
    """Plain text of an HTML fragment; text without tags only has its entities decoded."""
    if not _TAG_HINT.search(text):
        return html.unescape(text)
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def repair_mojibake(text: str) -> str:
    """Undo double-encoding (ftfy) and mend characters the source replaced with U+FFFD."""
    import ftfy  # import-time only: the service never needs it

    text = ftfy.fix_text(text.replace("ï¿½", "\ufffd"), normalization="NFC")
    text = _LOST_APOSTROPHE.sub("'", text)
    text = _LOST_LETTER.sub("", text)
    return text.replace("\ufffd", " ")


def expand_contractions(text: str) -> str:
    text = text.replace("\u2019", "'")
    if "'" not in text:
        return text
    return _CONTRACTION.sub(_expand, text)


def _expand(match: re2._Match) -> str:
    modal, short, person = match.group(1), match.group(2), match.group(3)
    if modal:
        return modal + "not" if modal.lower() == "can" else "will not"
    if short:
        return _EXPANDED[short.lower()]
    if person:
        return person + " would"
    return " not"


def clean(text: str) -> str:
    """Readable text: HTML removed, contractions expanded, spaces tidied. Mojibake is repaired
    once, at import (`repair_mojibake`), not here on every request."""
    lines = expand_contractions(html_to_text(text)).splitlines()
    return "\n".join(filter(None, (" ".join(line.split()) for line in lines)))


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; keeps 'c++', 'c#', 'node.js'."""
    return _TOKEN.findall(text.lower())


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Values of keys, computed on first sight and kept. `compute` takes every never-seen key
    of a call at once (one C call for a posting's new stems, one NumPy pass for its new
    hashed columns), and known keys cost one dict lookup without a Python call each. Past
    `limit` keys it starts afresh, so a stream of never-seen keys cannot grow it without
    bound. Thread-safe: a full memo is replaced, never emptied under a reader."""

    def __init__(self, compute: Callable[[list[K]], Iterable[V]], limit: int = 1_000_000) -> None:
        self.compute = compute
        self.limit = limit
        self._values: dict[K, V] = {}

    def map(self, keys: Sequence[K]) -> Iterator[V]:
        values = self._values
        unseen = set(filterfalse(values.__contains__, keys))
        if unseen:
            if len(values) + len(unseen) > self.limit:
                values, unseen = {}, set(keys)
                self._values = values
            new = list(unseen)
            values.update(zip(new, self.compute(new), strict=True))
        return map(values.__getitem__, keys)

    def __len__(self) -> int:
        return len(self._values)


def _stem_words(tokens: list[str]) -> list[str]:
    with _STEMMER_LOCK:
        return _STEMMER.stemWords(tokens)


_STEMS: Memo[str, str] = Memo(_stem_words, limit=200_000)


def analyze(text: str, *, stemmed: bool = True, drop_stop_words: bool = True) -> list[str]:
    """The token stream both models learn from: clean -> tokenize -> stop words -> stem."""
    return normalize(tokenize(clean(text)), stemmed=stemmed, drop_stop_words=drop_stop_words)


def normalize(tokens: list[str], *, stemmed: bool = True,
              drop_stop_words: bool = True) -> list[str]:
    """Stop words and stemming over tokens (for short plain strings that need no cleaning)."""
    if drop_stop_words:
        tokens = list(filterfalse(STOP_WORDS.__contains__, tokens))
    if stemmed:
        tokens = list(_STEMS.map(tokens))
    return tokens
