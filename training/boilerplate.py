"""Real boilerplate, cut from postings' own sections that are plainly not the job (benefits,
the company, equal opportunity, how to apply), and added to postings: the tag model trains on
such copies, and `bench/robustness.py` measures every model against it."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.records import Job
from runtime.tags.features import STATED_TERM

# Headings of what is plainly not the job: benefits, the company, equal opportunity, how to
# apply, legal notices (at the heading's start: "Sales Representative - Legal" is a job).
NOT_THE_JOB = re.compile(
    r"^(\W*)(benefits?|perks?|(what )?we offer|about (us|the company)|"
    r"about (?!you|the|this|your)[A-Z]|who we are|our (company|story|mission|values|culture)|"
    r"company (overview|description|profile|background|info)|"
    r"equal (employment )?opportunit|eeo|diversity|how to apply|"
    r"application (process|instructions)|to apply|disclaimer|legal|why (join|work))",
    re.IGNORECASE)
_PARAGRAPH = re.compile(r"\n\s*\n|[ \t]{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
BLOCK_SENTENCES = 3
_HEADED = re.compile(r"^([A-Z][\w&/'’ ,.-]{1,50}?):\s*(.*)$", re.DOTALL)


def boilerplate_blocks(jobs: Iterable[Job]) -> list[str]:
    """The first sentences of the paragraphs that such a heading opens. A heading's reach is
    cut short: read further, a "Company overview" often runs on into the duties where the
    posting marks no new heading, and another job's duties are no boilerplate. Nor are its
    terms: a block that states pay, a schedule or a requirement ("$55/hour salaried
    position") is left out."""
    blocks = []
    for job in jobs:
        paragraphs = [p.strip() for p in _PARAGRAPH.split(job.description) if p.strip()]
        for index, paragraph in enumerate(paragraphs):
            first, *rest = paragraph.splitlines()
            headed = _HEADED.match(first.strip())
            heading = headed[1] if headed else first.strip()
            if len(heading.split()) > 5 or not NOT_THE_JOB.match(heading):
                continue
            body = "\n".join(([headed[2]] if headed and headed[2] else []) + rest)
            if not body.strip() and index + 1 < len(paragraphs):
                body = paragraphs[index + 1]
            sentences = _SENTENCE_END.split(" ".join(body.split()))
            block = f"{heading}:\n" + " ".join(sentences[:BLOCK_SENTENCES])
            if len(body) > 40 and not STATED_TERM.search(block):
                blocks.append(block)
    return blocks


MODES = ("append", "prepend", "interleave")


@dataclass(frozen=True)
class Noise:
    """Real boilerplate added to postings: appended, prepended or interleaved (each block its
    own paragraph, between two of the posting's lines), `min_chars` to `max_chars` of it."""

    blocks: list[str]
    min_chars: int = 2_000
    max_chars: int = 18_000

    def sample(self, rng: random.Random) -> list[str]:
        target, chosen, size = rng.randint(self.min_chars, self.max_chars), [], 0
        while size < target:
            block = rng.choice(self.blocks)
            chosen.append(block)
            size += len(block)
        return chosen

    def add(self, text: str, mode: str, rng: random.Random) -> str:
        blocks = self.sample(rng)
        if mode == "append":
            return text + "\n\n" + "\n\n".join(blocks)
        if mode == "prepend":
            return "\n\n".join(blocks) + "\n\n" + text
        lines = text.splitlines()
        for block in blocks:  # each its own paragraph, between two of the posting's lines
            lines.insert(rng.randint(0, len(lines)), f"\n{block}\n")
        return "\n".join(lines)
