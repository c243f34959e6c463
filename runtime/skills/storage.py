"""A skill extractor on disk: the taxonomy, its TF-IDF indexes and matrices, the vectors, the
courses' skills and the configuration, in one component directory of a bundle."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
from scipy import sparse

from runtime.reader import PostingReader
from runtime.skills.model import Skill, SkillConfig, SkillExtractor, WordVectors
from runtime.tfidf import TfidfIndex

CONFIG_FILE = "config.json"
# The large arrays, memory-mapped: the workers of a machine share one copy in the page cache,
# and a new bundle loads without reading them. Skill vectors are stored transposed, the
# layout of the product that scores them.
WORD_VECTORS, SKILL_VECTORS = "word_vectors.npy", "skill_vectors_t.npy"


def save_skills(extractor: SkillExtractor, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "skills.jsonl").open("w", encoding="utf-8") as handle:
        for skill in extractor.skills:
            handle.write(json.dumps(asdict(skill), ensure_ascii=False) + "\n")
    for name, index, matrix in (("words", extractor.words, extractor.word_matrix),
                                ("chars", extractor.chars, extractor.char_matrix)):
        (directory / f"{name}_tfidf.json").write_text(json.dumps(index.to_dict()))
        sparse.save_npz(directory / f"{name}_matrix.npz", matrix)
    vectors = extractor.word_vectors
    words = sorted(vectors.vocabulary, key=vectors.vocabulary.__getitem__)
    np.savez(directory / "vectors.npz", words=np.array(words), idf=vectors.idf)
    np.save(directory / WORD_VECTORS, vectors.vectors)
    np.save(directory / SKILL_VECTORS, np.ascontiguousarray(extractor.skill_vectors.T))
    (directory / "course_skills.json").write_text(json.dumps(extractor.course_skills))
    (directory / CONFIG_FILE).write_text(json.dumps(asdict(extractor.config), indent=2))


def load_skills(directory: Path, reader: PostingReader) -> SkillExtractor:
    with (directory / "skills.jsonl").open(encoding="utf-8") as handle:
        skills = [Skill(**json.loads(line)) for line in handle if line.strip()]
    indexes = {name: (TfidfIndex.from_dict(json.loads(
                          (directory / f"{name}_tfidf.json").read_text())),
                      sparse.load_npz(directory / f"{name}_matrix.npz").tocsr())
               for name in ("words", "chars")}
    with np.load(directory / "vectors.npz") as stored:
        vocabulary = {str(word): i for i, word in enumerate(stored["words"])}
        if (directory / WORD_VECTORS).exists():
            word_vectors = np.load(directory / WORD_VECTORS, mmap_mode="r")
            skill_vectors = np.load(directory / SKILL_VECTORS, mmap_mode="r").T
        else:  # bundles of earlier releases kept every array in vectors.npz
            word_vectors, skill_vectors = stored["vectors"], stored["skills"]
        vectors = WordVectors(vocabulary, word_vectors, stored["idf"])
    course_skills = {course: [(uri, score) for uri, score in found] for course, found
                     in json.loads((directory / "course_skills.json").read_text()).items()}
    config = SkillConfig.from_dict(json.loads((directory / CONFIG_FILE).read_text()))
    return SkillExtractor(skills, *indexes["words"], *indexes["chars"], vectors, skill_vectors,
                          config, course_skills, reader=reader)
