"""The terms a job board states in a schema.org JobPosting's own properties: where a property
says the job is full time, or paid by the hour, or asks for a bachelor's degree or two years
of experience, the tags follow it, and what the text suggested against it is named as
overruled. Each tag says where it comes from."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TEXT = "text"  # a tag the model read in the posting's text
# Tags that exclude one another: a property that decides the group decides them all.
GROUPS = {
    "employmentType": ("full-time-job", "part-time-job"),
    "baseSalary": ("hourly-wage", "salary"),
    "educationRequirements": ("associate-needed", "bs-degree-needed", "ms-or-phd-needed"),
    "experienceRequirements": ("1-year-experience-needed", "2-4-years-experience-needed",
                               "5-plus-years-experience-needed"),
}
EMPLOYMENT = {"FULL_TIME": "full-time-job", "PART_TIME": "part-time-job"}
PAY = {"HOUR": "hourly-wage", "YEAR": "salary", "MONTH": "salary", "WEEK": "salary"}
DEGREES = (("ms-or-phd-needed", re.compile(r"postgraduate|master|doctor|ph\.?d", re.I)),
           ("bs-degree-needed", re.compile(r"bachelor", re.I)),
           ("associate-needed", re.compile(r"associate", re.I)),
           (None, re.compile(r"high school|secondary|no degree", re.I)))
YEARS = (("5-plus-years-experience-needed", 60), ("2-4-years-experience-needed", 24),
         ("1-year-experience-needed", 12), (None, 0))


@dataclass(frozen=True)
class StatedTerms:
    """`tags`: tag -> the property that states it; `decided`: the properties that state a
    term, whose group's other tags the posting does not have."""

    tags: dict[str, str] = field(default_factory=dict)
    decided: frozenset[str] = frozenset()

    def apply(self, chosen: Sequence[tuple[str, float]]) -> tuple[list[tuple[str, float, str]],
                                                                   list[str]]:
        """(tags with their scores and sources, the tags the text suggested that a property
        overruled)."""
        overruled_groups = {tag for name in self.decided for tag in GROUPS[name]}
        stated = [(tag, 1.0, name) for tag, name in sorted(self.tags.items())]
        from_text = [(tag, score, TEXT) for tag, score in chosen
                     if tag not in overruled_groups]
        overruled = sorted(tag for tag, _ in chosen
                           if tag in overruled_groups and tag not in self.tags)
        return stated + from_text, overruled


def stated_terms(posting: Mapping[str, Any]) -> StatedTerms:
    """The terms a JobPosting's properties state (none that are absent or unreadable)."""
    tags: dict[str, str] = {}
    decided: set[str] = set()
    for kind in _values(posting.get("employmentType")):
        if isinstance(kind, str) and kind.upper() in EMPLOYMENT:
            tags[EMPLOYMENT[kind.upper()]] = "employmentType"
            decided.add("employmentType")
    for money in [*_values(posting.get("baseSalary")), *_values(posting.get("estimatedSalary"))]:
        unit = _unit(money)
        if unit in PAY:
            tags[PAY[unit]] = "baseSalary"
            decided.add("baseSalary")
    for credential in _values(posting.get("educationRequirements")):
        category = (credential.get("credentialCategory") if isinstance(credential, Mapping)
                    else credential)
        if not isinstance(category, str):
            continue
        for tag, pattern in DEGREES:
            if pattern.search(category):
                if tag:
                    tags[tag] = "educationRequirements"
                decided.add("educationRequirements")
                break
    for requirement in _values(posting.get("experienceRequirements")):
        months = (requirement.get("monthsOfExperience") if isinstance(requirement, Mapping)
                  else None)
        if isinstance(months, int | float) and not isinstance(months, bool):
            tag = next(tag for tag, least in YEARS if months >= least)
            if tag:
                tags[tag] = "experienceRequirements"
            decided.add("experienceRequirements")
    return StatedTerms(tags, frozenset(decided))


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _unit(money: Any) -> str | None:
    """The unit of a MonetaryAmount (`value.unitText`, or its own `unitText`)."""
    if not isinstance(money, Mapping):
        return None
    value = money.get("value")
    unit = value.get("unitText") if isinstance(value, Mapping) else money.get("unitText")
    return unit.upper() if isinstance(unit, str) else None
