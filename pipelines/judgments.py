"""Graded relevance judgments (job posting -> course) and the queries they judge."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

EVERYDAY_SOURCES = frozenset(["indeed-everyday"])  # service, trade, care and retail jobs


@dataclass(frozen=True)
class Query:
    qid: str
    title: str
    text: str
    source: str = ""

    @property
    def group(self) -> str:
        """Which kind of dev posting it is: "everyday" (service, trade, care, retail: the
        catalog often has little for them) or "tech and data"."""
        return "everyday" if self.source in EVERYDAY_SOURCES else "tech and data"


def load_queries(path: Path) -> list[Query]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [Query(r["qid"], r.get("title") or "", r["text"], r.get("source") or "")
            for r in rows]


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                qrels[row["qid"]][row["id"]] = int(row["rel"])
    return dict(qrels)
