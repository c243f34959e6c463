"""The context feature on vectors made for it: a word one skill's label shares with a part
("registered") makes them near, and what is left of both once it is left out is not."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from runtime.logistic import Logistic
from runtime.skills.encoder import StaticEncoder
from runtime.skills.index import SkillIndex
from runtime.skills.model import FEATURES, Skill, SkillConfig, SkillExtractor
from runtime.skills.occupations import Occupations

WORDS = {"[UNK]": [0, 0, 0, 0], "registered": [3, 0, 0, 0], "nurse": [0, 1, 0, 0],
         "assess": [0, 1, 0.2, 0], "patients": [0, 1, 0, 0.2], "handle": [0, 0, 1, 0],
         "mail": [0, 0, 0, 1], "apply": [0, 0.2, 0.5, 0], "nursing": [0, 1, 0, 0],
         "care": [0, 1, 0.1, 0]}
PART = "registered nurse assess patients"


@pytest.fixture(scope="module")
def matcher(reader):
    from tokenizers import Tokenizer, pre_tokenizers
    from tokenizers.models import WordLevel

    tokenizer = Tokenizer(WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    encoder = StaticEncoder(tokenizer, np.array(list(WORDS.values()), dtype=np.float32))
    skills = [Skill("u:mail", "handle registered mail"), Skill("u:care", "apply nursing care")]
    none = sparse.csr_matrix((0, 2), dtype=np.float32)
    context_only = Logistic(FEATURES, tuple(10.0 if f == "context" else 0.0 for f in FEATURES),
                            -5.0, tuple(0.0 for _ in FEATURES), tuple(1.0 for _ in FEATURES))
    return SkillExtractor(skills, encoder, SkillIndex.build(encoder.encode(
        [s.label for s in skills])), Occupations((), np.zeros((0, 4)), none, none),
        context_only, SkillConfig(), reader=reader)


def test_what_is_left_once_the_shared_word_is_out_is_not_near(matcher):
    evidence = matcher.read("", PART)
    columns, table, _ = matcher.features(evidence, every_context=True)
    best = dict(zip(columns, table[:, FEATURES.index("best")], strict=True))
    context = dict(zip(columns, table[:, FEATURES.index("context")], strict=True))
    assert best[0] > 0.5  # near by "registered" alone
    assert context[0] < 0.2
    assert context[1] == best[1]  # no word shared: near by meaning alone


def test_a_skill_near_by_a_shared_word_alone_is_not_returned(matcher):
    assert [m.skill.label for m in matcher.extract("", PART)] == ["apply nursing care"]
