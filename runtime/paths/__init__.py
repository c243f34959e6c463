"""Learning paths at run time: calibrated confidence for recommended courses, and the few
courses that together cover a job's skills."""

from runtime.paths.model import Calibration, Candidate, Path, near_duplicate, plan_path
from runtime.paths.storage import PathPlanner, load_planner, save_planner

COMPONENT = "paths"  # its directory in a bundle
load = load_planner

__all__ = ["COMPONENT", "Calibration", "Candidate", "Path", "PathPlanner", "load",
           "load_planner", "near_duplicate", "plan_path", "save_planner"]
