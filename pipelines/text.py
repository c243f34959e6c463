"""Text processing shared by training and serving: one implementation, so what is evaluated is
exactly what is served. Everything works offline (no NLTK downloads)."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

import ftfy
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)

_TOKENIZER = RegexpTokenizer(r"[a-z0-9]+(?:[+#]+|(?:\.(?:js|net)))?")
_STEMMER = SnowballStemmer("english")
_TAG_HINT = re.compile(r"<[a-zA-Z/!][^>]*>")
_SPACES = re.compile(r"[ \t\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
# U+FFFD is what is left where the source lost a character (e.g. "Youï¿½ll" -> "You\ufffdll").
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\ufffd(?=(?:s|ll|re|ve|t|d|m)(?![\w\ufffd]))")
_LOST_LETTER = re.compile(r"(?<=[A-Za-z])\ufffd(?=[A-Za-z])")
_CONTRACTIONS = [
    (re.compile(r"\b(can)'t\b", re.I), r"\1not"),
    (re.compile(r"\b(won)'t\b", re.I), "will not"),
    (re.compile(r"n't\b", re.I), " not"),
    (re.compile(r"'re\b", re.I), " are"),
    (re.compile(r"'ll\b", re.I), " will"),
    (re.compile(r"'ve\b", re.I), " have"),
    (re.compile(r"'m\b", re.I), " am"),
    (re.compile(r"\b(I|you|we|they|he|she)'d\b", re.I), r"\1 would"),
]


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

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
    text = ftfy.fix_text(text.replace("ï¿½", "\ufffd"), normalization="NFC")
    text = _LOST_APOSTROPHE.sub("'", text)
    text = _LOST_LETTER.sub("", text)
    return text.replace("\ufffd", " ")


def expand_contractions(text: str) -> str:
    text = text.replace("\u2019", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def clean(text: str) -> str:
    """Readable text: HTML removed, contractions expanded, spaces tidied. Mojibake is repaired
    once, at import (`repair_mojibake`), not here on every request."""
    text = expand_contractions(html_to_text(text))
    text = _SPACES.sub(" ", text.replace("\r", "\n"))
    return _BLANK_LINES.sub("\n", text).strip()


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; keeps 'c++', 'c#', 'node.js'."""
    return _TOKENIZER.tokenize(text.lower())


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    return _STEMMER.stem(token)


def analyze(text: str, *, stemmed: bool = True, drop_stop_words: bool = True) -> list[str]:
    """The token stream both models learn from: clean -> tokenize -> stop words -> stem."""
    return normalize(tokenize(clean(text)), stemmed=stemmed, drop_stop_words=drop_stop_words)


def normalize(tokens: list[str], *, stemmed: bool = True,
              drop_stop_words: bool = True) -> list[str]:
    """Stop words and stemming over tokens (for short plain strings that need no cleaning)."""
    if drop_stop_words:
        tokens = [t for t in tokens if t not in STOP_WORDS]
    if stemmed:
        tokens = [stem(t) for t in tokens]
    return tokens


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9•\-*])|\n+|\s*[•●▪·]\s*")
_BOILERPLATE = re.compile(
    r"equal opportunity|eoe\b|affirmative action|regard to race|without regard|disabilit|"
    r"veteran|sexual orientation|gender identity|national origin|background check|drug test|"
    r"drug[- ]free|e-verify|401\s*\(?k|dental|vision insurance|health insurance|medical insurance|"
    r"paid time off|\bpto\b|tuition reimburse|life insurance|employee discount|benefits package|"
    r"apply (now|today|online)|click (here|apply)|send (your )?resume|submit (your )?resume|"
    r"to apply|recruit(er|ing) agency|staffing agency|privacy policy|cookie|"
    r"founded in|our mission|our vision|our values|award[- ]winning|fortune \d+|"
    r"(we are|is) (a|an|the) (leading|premier|global|fast[- ]growing|growing|national)|"
    r"headquartered|best places to work|competitive (pay|salary|compensation|benefits)",
    re.IGNORECASE,
)


def requirements_text(text: str) -> str:
    """A posting without what is not a requirement: EEO statements, benefits, company blurbs and
    application instructions. Falls back to the whole text when every sentence looks like
    boilerplate."""
    sentences = [s for s in _SENTENCE_END.split(clean(text)) if s and s.strip()]
    kept = [s for s in sentences if not _BOILERPLATE.search(s)]
    return " ".join(kept) if kept else " ".join(sentences)
