"""A posting split into its parts: list items and sentences, each under the heading it sits
below, in plain text and in HTML.

Real postings are long and mostly not about the job: company story, benefits, equal
opportunity and legal text, how to apply. Splitting them is the first step of reading them;
the posting reader (`runtime/reader`) then scores how much each part states the job. A
heading's words often say what it heads (`HEADING_KINDS`): "Responsibilities" heads the job,
"Benefits" does not; the reader learns from such parts and leans on their headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.text import clean, html_to_text, tokenize

KINDS = ("job", "other")

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
