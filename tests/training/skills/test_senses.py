"""Words shared across senses do not make a skill: a registered nurse handles no registered
mail. A matcher learned from the shared data (the ESCO taxonomy, real postings and the graded
postings; word2vec's first vectors and two epochs, to be quick) reads the examples the skills
issue found wrong."""

from __future__ import annotations

import pytest

from training.skills.contrastive import ContrastiveConfig

CONFUSABLE = {"handle registered mail", "register mail", "register pets", "nurse plants",
              "operate cash register", "prepare cost-plus pricing models",
              "calculate rates per hours", "design customer experiences",
              "hunting truck detector", "operate press-in pile driver"}
POSTINGS = [
    ("Registered Nurse", "Registered Nurse to assess patients and record vital signs. You "
                         "will administer medication safely and provide wound care."),
    ("Staff Accountant", "Reconcile bank accounts monthly and prepare financial statements "
                         "under GAAP. CPA a plus."),
    ("Barista", "Prepare espresso drinks and serve customers with a smile. $15 per hour plus "
                "tips."),
    ("Customer Service Representative", "Answer customer calls and resolve complaints. Pay "
                                        "depending on experience."),
    ("Truck Driver", "CDL Class A Truck Driver. Deliver freight on regional routes and inspect "
                     "the truck before each trip."),
]


@pytest.fixture(scope="module")
def matcher(shared_data, reader):
    from training.skills.calibrate import read_graded_postings
    from training.skills.fit import fit_skills
    from training.skills.taxonomy import read_taxonomy
    from training.sources import load_corpus

    corpus = [job.description for job in
              load_corpus([shared_data / "jobs" / "indeed_tags_dev.tsv"])[:1500]]
    return fit_skills(read_taxonomy(shared_data / "taxonomies" / "esco_skills.jsonl")[0],
                      reader, corpus, graded=read_graded_postings(shared_data / "skills"),
                      encoder="word2vec", contrastive=ContrastiveConfig(epochs=2),
                      progress=False)[0]


@pytest.mark.shared_data
def test_a_word_shared_across_senses_makes_no_skill(matcher):
    found = {title: {m.skill.label for m in matcher.extract(title, description, k=20)}
             for title, description in POSTINGS}
    assert {title: skills & CONFUSABLE for title, skills in found.items()} == {
        title: set() for title in found}
    assert sum(bool(skills) for skills in found.values()) >= 3, found
