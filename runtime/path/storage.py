"""The path planner on disk: its calibration and floor, in one component directory."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from runtime.path.confidence import Confidence

CONFIG_FILE = "paths.json"


@dataclass(frozen=True)
class PathPlanner:
    """`calibration`: P(relevant) of a recommended course; `floor`: the confidence a course
    needs to enter a path; `candidates`: how many recommended courses compete;
    `posting_skills`: how many of the posting's skills a path tries to cover."""

    calibration: Confidence
    floor: float
    candidates: int = 30
    posting_skills: int = 15


def save_planner(planner: PathPlanner, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CONFIG_FILE).write_text(json.dumps({
        "calibration": planner.calibration.to_dict(), "floor": planner.floor,
        "candidates": planner.candidates, "posting_skills": planner.posting_skills}, indent=2))


def load_planner(directory: Path) -> PathPlanner:
    values = json.loads((directory / CONFIG_FILE).read_text())
    return PathPlanner(Confidence.from_dict(values.pop("calibration")), **values)
