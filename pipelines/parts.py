"""A posting's parts, and which of them state the job.

Real postings are long and mostly not about the job: company story, benefits, equal
opportunity and legal text, how to apply. A posting is split into parts (list items and
sentences, each under the heading it sits below, in plain text and in HTML), and each part is
scored by how much it states the job ("job": its duties, requirements and terms such as
schedule and pay) rather than anything else ("other").

Two signals decide. The heading a part sits under, read by a short list of heading words
(`HEADING_KINDS`); and a sentence classifier learned from the shared postings, whose parts
under such headings label thousands of examples of each kind (`training/parts.py` fits it;
its weights ship beside this module). The classifier reads parts that have no heading, and
overrules a heading when it is sure: boilerplate pasted under "Requirements" is still
boilerplate. Every model reads postings through `PostingReader`, at training time and when
serving, so what is evaluated is what is served."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.special import expit

from pipelines.text import Memo, clean, html_to_text, tokenize

KINDS = ("job", "other")
MODEL_FILE = Path(__file__).with_name("parts_model.npz")
HASHED_FEATURES = 2**16

# Heading words, checked in this order (the first match decides): "About the role" states
# the job, "About us" does not, and a job's terms ("Job type", "Schedule", "Pay") state it
# too. Headings such as "Summary" or "Job description" head the job's duties and the
# company's story alike: they say nothing, and the parts' words decide.
HEADING_KINDS: tuple[tuple[str, str], ...] = (
    ("job", r"\babout you\b|\babout (the|this|your) (role|job|position|team|opportunity)|"
            r"\bwho you are|"
            r"\byou('ll| will)? (do|bring|have|need)\b|"
            r"\bwhat you('ll| will)?( be)? (do|doing|bring|need)\b|\byou will be\b|"
            r"\byou are\b|\bideal candidate|"
            r"\b(we're|we are|what we're|what we are|who we) look(ing)? for|\brequire"),
    ("other", r"\babout\b|\bwho we are|\bwhat we do\b|\bexpect from us|"
              r"\bour (company|story|mission|values|culture|team)\b|\bcompany\b|\bbenefit|"
              r"\bperks?\b|\b(we|what we) offer|\bwhy (join|work|you)|\bculture\b|"
              r"\bmission\b|\bequal (employment )?opportunit|\beeo\b|\bdiversity\b|"
              r"\binclusion\b|\bdisclaimer\b|\blegal\b|\bnotice\b|\bprivacy\b|\bapply\b|"
              r"\bapplication|\bhow to\b|\bnext steps?\b|\bcontact\b|\baccommodation|"
              r"\bconditions of employment\b"),
    ("job", r"respons|\bduties\b|\bduty\b|requirement|qualification|\bskills?\b|"
            r"\bexperience\b|\beducation\b|\bessential\b|\bknowledge\b|\babilit|"
            r"\bcompetenc|\bpreferred\b|\bmust\b|\bnice to haves?\b|\bdesired\b|"
            r"\bcertific|\blicen[cs]|\bfunctions?\b|\btasks?\b|\bday to day\b|"
            r"\byour impact\b|\bwork(ing)? (environment|conditions)\b|\bphysical\b|"
            r"\bbonus points\b|\bclearance\b|\bjob types?\b|\bemployment type\b|"
            r"\bposition type\b|\bschedule\b|\bshifts?\b|\bhours\b|\bsalary\b|\bpay\b|"
            r"\bwages?\b|\blocation\b|\btravel\b|\bstart date\b|\bduration\b"),
)
_HEADING_KINDS = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in HEADING_KINDS]
# "Requirements:" at the start of a line, with the part it heads on the same line or not.
_INLINE_HEADING = re.compile(r"^(?P<heading>[A-Za-z][\w&/'’(),. -]{1,60}?)\s*:\s*(?P<rest>.*)$")
_BULLET = re.compile(r"[•●▪◦·■►✓✔*]|(?<!\w)-\s|(?<![^\s])\(?\d{1,2}[.)]\s")
_MAY_BULLET = re.compile(r"[•●▪◦·■►✓✔*]|-\s|\d[.)]\s")  # a cheap look before splitting
_DECORATION = "*_#=~ \t"
# After a sentence's end: spaces before a capital, or nothing before a capitalised word
# ("requirements.Big data" where a scraper lost the line break).
_SENTENCE = re.compile(r"(?<=[.!?])(?:\s+(?=[\"'(\[]?[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]))")
_GAP = re.compile(r"[ \t\u00a0]{3,}")
_PARAGRAPH_END = re.compile(r"\n(?:[ \t\u00a0]*\n)+")
MAX_HEADING_WORDS = 7
# The words headings are made of, besides those that name a kind; "About" may name anyone.
_HEADING_WORDS = frozenset([
    "a", "an", "and", "the", "of", "to", "for", "in", "on", "at", "with", "your", "our", "you",
    "we", "who", "what", "why", "how", "will", "ll", "do", "are", "is", "us", "me", "key",
    "primary", "principal", "main", "core", "essential", "general", "minimum", "basic",
    "required", "preferred", "additional", "desired", "special", "specific", "job", "position",
    "role", "team", "company", "opportunity", "details", "information", "summary", "overview",
    "description", "responsibilities", "responsibility", "duties", "duty", "requirements",
    "requirement", "qualifications", "qualification", "skills", "skill", "experience",
    "education", "knowledge", "abilities", "ability", "competencies", "functions", "tasks",
    "benefits", "benefit", "perks", "perk", "compensation", "salary", "pay", "schedule", "hours",
    "location", "travel", "equal", "employment", "employer", "opportunities", "eeo", "apply",
    "application", "process", "instructions", "join", "work", "here", "offer", "offers",
    "culture", "mission", "values", "story", "looking", "ideal", "candidate", "bring", "need",
    "have", "nice", "things", "certifications", "certification", "licenses", "license", "working",
    "conditions", "environment", "physical", "demands", "disclaimer", "notice", "legal",
    "contact", "next", "steps", "diversity", "inclusion",
])
_ABOUT_SOMEONE = re.compile(r"^About [A-Z]\S*(?: \S+){0,2}$")


@dataclass(frozen=True)
class Part:
    """One list item or sentence of a posting."""

    text: str
    heading: str  # the heading it sits under ("" before the first)
    heading_kind: str | None  # what that heading says it is, when its words tell


def heading_kind(heading: str) -> str | None:
    for kind, pattern in _HEADING_KINDS:
        if pattern.search(heading):
            return kind
    return None


def _is_heading(line: str) -> bool:
    """A short line that reads as a heading: it ends with a colon, or is in capitals, or is
    made of heading words only ("Key Responsibilities", "About Northwind"; a list item such
    as "Experience with Python" names other things)."""
    words = line.split()
    if not (0 < len(words) <= MAX_HEADING_WORDS and line[0].isupper()
            and not line.endswith((".", "!", ","))):
        return False
    kind = heading_kind(line)
    if line.endswith(":") or (line.isupper() and (len(words) > 1 or kind is not None)):
        return True
    named = _ABOUT_SOMEONE.match(line) or all(word in _HEADING_WORDS for word in tokenize(line))
    return kind is not None and bool(named)


def split_parts(description: str) -> list[Part]:
    """The posting's parts in order: lines, list items and sentences, each with the heading
    above it. Runs of spaces, which some boards put where lines ended, end a line too. A
    heading reaches to the end of the paragraph (or list) it opens: text pasted after it, a
    blank line further on, is not under it."""
    parts: list[Part] = []
    text = html_to_text(description.replace("\r\n", "\n").replace("\r", "\n"))
    heading, kind = "", None
    for paragraph in filter(str.strip, _PARAGRAPH_END.split(text)):
        opened = False  # whether this paragraph holds a heading with nothing under it yet
        for line in _unwrapped(clean(_GAP.sub("\n", paragraph)).splitlines()):
            line = line.strip(_DECORATION)
            inline = _INLINE_HEADING.match(line)
            if inline and len(inline["heading"].split()) <= MAX_HEADING_WORDS and (
                    not inline["rest"] or heading_kind(inline["heading"]) is not None):
                heading, kind = inline["heading"].strip(), heading_kind(inline["heading"])
                line, opened = inline["rest"].strip(), not inline["rest"].strip()
            elif _is_heading(line):
                heading, kind, opened = line.rstrip(":").strip(), heading_kind(line), True
                continue
            for item in _BULLET.split(line) if _MAY_BULLET.search(line) else [line]:
                for sentence in _SENTENCE.split(item):
                    sentence = sentence.strip(" -–:;,")
                    if len(sentence) > 1:
                        parts.append(Part(sentence, heading, kind))
                        opened = False
        if not opened:
            heading, kind = "", None
    return parts


def _unwrapped(lines: list[str]) -> list[str]:
    """Lines with a hard-wrapped sentence's rest (a line starting in lower case) joined back
    to the line it continues."""
    joined: list[str] = []
    for line in map(str.strip, lines):
        if joined and line[:1].islower() and not joined[-1].endswith((".", ":", "!", "?")):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return joined


def part_terms(text: str) -> list[str]:
    """What the classifier reads of a part: its words and word pairs."""
    tokens = tokenize(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _columns(terms: list[str]) -> list[int]:
    import mmh3

    return [mmh3.hash(term) % HASHED_FEATURES for term in terms]


_COLUMNS: Memo[str, int] = Memo(_columns, limit=500_000)


def hashed_features(texts: Sequence[str]) -> sparse.csr_matrix:
    """Each text's hashed terms, present or not, the row scaled to unit length (so a long
    sentence weighs no more than a short one)."""
    columns: list[int] = []
    indptr = [0]
    for text in texts:
        columns += set(_COLUMNS.map(part_terms(text)))
        indptr.append(len(columns))
    counts = np.diff(indptr)
    data = np.repeat(1 / np.sqrt(np.maximum(counts, 1)), counts).astype(np.float32)
    return sparse.csr_matrix((data, np.asarray(columns, dtype=np.int64), indptr),
                             shape=(len(texts), HASHED_FEATURES))


@dataclass(frozen=True)
class ScoredPart:
    part: Part
    job: float  # the probability that the part states the job


class PostingReader:
    """Scores a posting's parts: a logistic regression over their hashed terms (`kernel`,
    `bias`) plus the log-odds `heading_weight` toward the kind a recognised heading names, so
    a part under "Benefits" needs strong words to count as the job's, and one
    under "Requirements" strong words to count as boilerplate."""

    def __init__(self, kernel: np.ndarray, bias: float, heading_weight: float = 2.0) -> None:
        self.kernel = kernel.astype(np.float32)
        self.bias = float(bias)
        self.heading_weight = heading_weight

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> PostingReader:
        with np.load(path) as stored:
            return cls(stored["kernel"], stored["bias"], float(stored["heading_weight"]))

    @cached_property
    def version(self) -> str:
        """A short fingerprint of the weights, recorded by the models that read with them."""
        import hashlib

        return hashlib.sha256(self.kernel.tobytes() + repr(self.bias).encode()).hexdigest()[:12]

    def score(self, parts: Sequence[Part]) -> list[ScoredPart]:
        if not parts:
            return []
        logits = hashed_features([part.text for part in parts]) @ self.kernel + self.bias
        prior = {"job": self.heading_weight, "other": -self.heading_weight, None: 0.0}
        logits += np.array([prior[part.heading_kind] for part in parts], dtype=np.float32)
        return [ScoredPart(part, float(p)) for part, p in zip(parts, expit(logits), strict=True)]

    def read(self, description: str) -> tuple[ScoredPart, ...]:
        """The posting's parts, scored. The last few readings are kept: one request's models
        (courses, their skills, the confidence) read the same posting."""
        return self._read(description)

    @lru_cache(maxsize=16)  # noqa: B019 - one reader per process, kept for its lifetime
    def _read(self, description: str) -> tuple[ScoredPart, ...]:
        return tuple(self.score(split_parts(description)))

    def job_text(self, description: str, threshold: float = 0.5) -> str:
        """The posting's parts that state the job, one a line; the whole posting when none
        does (a posting of nothing but boilerplate still gets an answer)."""
        kept = [scored.part.text for scored in self.read(description) if scored.job >= threshold]
        return "\n".join(kept) if kept else description


@cache
def default_reader() -> PostingReader:
    """The reader whose weights ship with this module (loaded once per process)."""
    return PostingReader.load()
