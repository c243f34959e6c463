"""The skill extractor at run time: the ESCO skills a posting asks for, with evidence (NumPy
and SciPy only: no FastAPI, no TensorFlow, no torch)."""

from runtime.skills.model import Skill, SkillConfig, SkillExtractor, SkillMatch
from runtime.skills.storage import load_skills, save_skills

load, save = load_skills, save_skills  # what the component registry calls

__all__ = ["Skill", "SkillConfig", "SkillExtractor", "SkillMatch", "load", "load_skills", "save",
           "save_skills"]
