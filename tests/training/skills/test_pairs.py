from training.skills.pairs import PER_LABEL, posting_pairs, taxonomy_pairs
from training.skills.taxonomy import TaxonomySkill

SQL = TaxonomySkill("u:sql", "SQL", "SQL structured query language use SQL Write queries in "
                                    "SQL. Know its joins.")
NURSING = TaxonomySkill("u:care", "apply nursing care", "apply nursing care provide nursing "
                                                        "care Care for patients as a nurse.")
ENGLISH = TaxonomySkill("u:english", "English", "English Speak and write English.")


def test_a_skill_text_gives_its_definition_and_its_alternative_labels():
    pairs = {(p.kind, p.text): p.skill for p in taxonomy_pairs([SQL, NURSING])}
    assert pairs == {("alternatives", "structured query language use SQL"): 0,
                     ("definition", "Write queries in SQL"): 0,
                     ("alternatives", "provide nursing care"): 1,
                     ("definition", "Care for patients as a nurse."): 1}


def test_sentences_that_state_a_label_name_its_skill_and_common_words_do_not():
    sentences = ([f"You will apply nursing care on ward {i}." for i in range(PER_LABEL + 5)]
                 + ["Strong SQL skills.", "Write SQL daily."]
                 + [f"Speak English with customer {i}." for i in range(40)]
                 + [f"Filler sentence number {i}." for i in range(200)])
    pairs = posting_pairs([SQL, NURSING, ENGLISH], sentences)
    by_skill = {skill: [p.text for p in pairs if p.skill == skill] for skill in (0, 1, 2)}
    assert by_skill[0] == ["Strong SQL skills.", "Write SQL daily."]
    assert len(by_skill[1]) == PER_LABEL  # a common label does not crowd out the rest
    assert by_skill[2] == []  # a one-word label that many sentences use is too ambiguous
