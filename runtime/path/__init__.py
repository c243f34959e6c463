"""Learning paths at run time: calibrated confidence for recommended courses, and the few
courses that together cover a job's skills."""

from runtime.path.confidence import Confidence
from runtime.path.model import Candidate, LearningPath, near_duplicate, plan_path
from runtime.path.storage import PathPlanner, load_planner, save_planner

load, save = load_planner, save_planner  # what the component registry calls

__all__ = ["Confidence", "Candidate", "LearningPath", "PathPlanner", "load", "load_planner",
           "near_duplicate", "plan_path", "save", "save_planner"]
