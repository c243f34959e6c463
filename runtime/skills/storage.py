"""A skill matcher on disk, in one component directory of a bundle: the taxonomy, the encoder
(tokenizer and token vectors), the skills' vectors, the occupations, the calibration, the
courses' skills and the configuration. The large arrays are memory-mapped, so the workers of
a machine share one copy."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
from scipy import sparse

from runtime.errors import OutdatedComponentError
from runtime.logistic import Logistic
from runtime.reader import PostingReader
from runtime.skills.encoder import StaticEncoder
from runtime.skills.index import SkillIndex
from runtime.skills.model import FEATURES, Skill, SkillConfig, SkillExtractor
from runtime.skills.occupations import Occupations

FORMAT = 2  # the matcher of static vectors and a calibrated classifier
CONFIG_FILE = "config.json"


def save_skills(extractor: SkillExtractor, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "skills.jsonl").open("w", encoding="utf-8") as handle:
        for skill in extractor.skills:
            handle.write(json.dumps(asdict(skill), ensure_ascii=False) + "\n")
    extractor.encoder.save(directory / "encoder")
    extractor.index.save(directory)
    occupations = extractor.occupations
    (directory / "occupations.json").write_text(json.dumps(
        {"names": list(occupations.names), "top": occupations.top,
         "sharpness": occupations.sharpness}))
    np.save(directory / "occupation_vectors.npy", occupations.vectors)
    sparse.save_npz(directory / "essential.npz", occupations.essential)
    sparse.save_npz(directory / "optional.npz", occupations.optional)
    (directory / "calibration.json").write_text(json.dumps(extractor.calibration.to_dict()))
    (directory / "course_skills.json").write_text(json.dumps(extractor.course_skills))
    (directory / CONFIG_FILE).write_text(json.dumps({"format": FORMAT,
                                                     **asdict(extractor.config)}, indent=2))


def load_skills(directory: Path, reader: PostingReader) -> SkillExtractor:
    values = json.loads((directory / CONFIG_FILE).read_text())
    if values.get("format") != FORMAT:
        raise OutdatedComponentError(
            "the skill extractor of this bundle was saved by an earlier release, whose "
            "matcher this code no longer has: train it again (`careerpath train skills`)")
    with (directory / "skills.jsonl").open(encoding="utf-8") as handle:
        skills = [Skill(**json.loads(line)) for line in handle if line.strip()]
    described = json.loads((directory / "occupations.json").read_text())
    occupations = Occupations(tuple(described["names"]),
                              np.asarray(np.load(directory / "occupation_vectors.npy",
                                                 mmap_mode="r")),
                              sparse.load_npz(directory / "essential.npz").tocsr(),
                              sparse.load_npz(directory / "optional.npz").tocsr(),
                              described["top"], described["sharpness"])
    course_skills = {course: [(uri, score) for uri, score in found] for course, found
                     in json.loads((directory / "course_skills.json").read_text()).items()}
    return SkillExtractor(
        skills, StaticEncoder.load(directory / "encoder"),
        SkillIndex.load(directory), occupations,
        Logistic.from_dict(json.loads((directory / "calibration.json").read_text()), FEATURES),
        SkillConfig.from_dict(values), course_skills, reader=reader)
