"""Free supervision for the skill matcher: (text, skill) pairs the taxonomy and the postings
give without anyone labelling them.

- A skill's definition, and its alternative labels run together, name the skill.
- A posting sentence that states a skill's preferred label asks for the skill. Labels of one
  word count only when they are rare in postings ("JavaScript", not "English" or "history"),
  and each label gives at most `PER_LABEL` sentences, so that common ones do not crowd out
  the rest."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.segment import split_parts
from pipelines.text import tokenize
from training.skills.taxonomy import TaxonomySkill

PER_LABEL = 30
SENTENCE_CHARS = (20, 300)
RARE_WORD = 0.003  # a one-word label counts when at most this share of sentences use the word
RARE_COUNT = 5  # (or this many, in a small corpus)
# where a skill's text turns from its lower-case labels to its definition, a sentence
_DEFINITION = re.compile(r"(?<=[A-Za-z0-9)]) (?=[A-Z][a-z])")


@dataclass(frozen=True)
class Pair:
    text: str
    skill: int  # its position in the taxonomy
    kind: str  # "definition", "alternatives" or "posting"


def taxonomy_pairs(skills: Sequence[TaxonomySkill]) -> list[Pair]:
    pairs = []
    for position, skill in enumerate(skills):
        rest = skill.text[len(skill.label):] if skill.text.startswith(skill.label) else ""
        cut = _DEFINITION.search(rest)
        if cut is None:
            continue
        alternatives, definition = rest[:cut.start()].strip(), rest[cut.start():].strip()
        if len(definition) > SENTENCE_CHARS[0]:
            pairs.append(Pair(definition.split(". ")[0], position, "definition"))
        if alternatives:
            pairs.append(Pair(alternatives, position, "alternatives"))
    return pairs


def posting_sentences(descriptions: Iterable[str]) -> list[str]:
    """The distinct parts of postings of a sentence's length."""
    seen: dict[str, None] = {}
    for description in descriptions:
        for part in split_parts(description):
            text = part.text.strip()
            if SENTENCE_CHARS[0] <= len(text) <= SENTENCE_CHARS[1]:
                seen.setdefault(text, None)
    return list(seen)


def posting_pairs(skills: Sequence[TaxonomySkill], sentences: Sequence[str]) -> list[Pair]:
    """Sentences that state a skill's preferred label, as whole words."""
    lowered = [sentence.lower() for sentence in sentences]
    words = Counter(word for sentence in lowered for word in set(tokenize(sentence)))
    labels: dict[str, int] = {}
    for position, skill in enumerate(skills):
        label = skill.label.lower()
        if " " in label or 2 <= words[label] <= max(RARE_COUNT, RARE_WORD * len(sentences)):
            labels.setdefault(label, position)
    if not labels:
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(
        map(re.escape, sorted(labels, key=len, reverse=True))) + r")(?!\w)")
    found: Counter[str] = Counter()
    pairs = []
    for sentence, low in zip(sentences, lowered, strict=True):
        for label in dict.fromkeys(pattern.findall(low)):  # in order: runs repeat
            found[label] += 1
            if found[label] <= PER_LABEL:
                pairs.append(Pair(sentence, labels[label], "posting"))
    return pairs
