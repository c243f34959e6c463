"""The ESCO skills taxonomy as careerpath reads it: one JSON object per line with `uri`,
`label` (the preferred label) and `text` (the labels and the definition run together).
A row that cannot be used is skipped and reported, never a crash."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.report import ImportReport


@dataclass(frozen=True)
class TaxonomySkill:
    uri: str
    label: str
    text: str


def read_taxonomy(path: Path) -> tuple[list[TaxonomySkill], ImportReport]:
    report = ImportReport(source=str(path))
    skills: dict[str, TaxonomySkill] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            report.rows_read += 1
            try:
                row = json.loads(line)
            except ValueError:
                report.note("skipped_bad_json", line)
                continue
            if not isinstance(row, dict) or not str(row.get("uri") or "").strip():
                report.note("skipped_no_uri", line)
                continue
            label = str(row.get("label") or "").strip()
            if not label:  # it can never be named, nor be right
                report.note("skipped_no_label", str(row["uri"]))
                continue
            if row["uri"] in skills:
                report.note("skipped_duplicate_uri", str(row["uri"]))
                continue
            text = str(row.get("text") or "").strip() or label
            skills[row["uri"]] = TaxonomySkill(str(row["uri"]).strip(), label, text)
    report.records_written = len(skills)
    if not skills:
        raise ValueError(f"{path} holds no usable skill (see the report)")
    return list(skills.values()), report


@dataclass(frozen=True)
class TaxonomyOccupation:
    name: str
    text: str  # its name, alternative names and description
    essential: tuple[int, ...]  # positions of its essential skills in the taxonomy
    optional: tuple[int, ...]


def read_occupations(path: Path, skills: Sequence[TaxonomySkill]
                     ) -> tuple[list[TaxonomyOccupation], ImportReport]:
    """ESCO occupation profiles (JSONL: occupation_name, alternative_names,
    occupation_description, essential_skills, optional_skills), their skills named by
    preferred label and found in `skills`; rows that cannot be used are reported."""
    report = ImportReport(source=str(path))
    by_label = {skill.label.lower(): position for position, skill in enumerate(skills)}
    occupations = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in filter(str.strip, handle):
            report.rows_read += 1
            try:
                row = json.loads(line)
                name = str(row.get("occupation_name") or "").strip()
            except (ValueError, AttributeError):
                report.note("skipped_bad_json", line)
                continue
            if not name:
                report.note("skipped_no_name", line)
                continue
            essential, optional = ([by_label[label.lower()] for label in row.get(key) or []
                                    if isinstance(label, str) and label.lower() in by_label]
                                   for key in ("essential_skills", "optional_skills"))
            alternatives = " ".join(str(a) for a in (row.get("alternative_names") or [])[:10])
            text = f"{name}. {alternatives}. {row.get('occupation_description') or ''}"
            occupations.append(TaxonomyOccupation(name, text, tuple(essential), tuple(optional)))
    report.records_written = len(occupations)
    return occupations, report
