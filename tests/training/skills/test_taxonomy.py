import json

import pytest

from training.skills.taxonomy import read_taxonomy


def test_rows_that_cannot_be_used_are_reported_not_fatal(tmp_path):
    path = tmp_path / "skills.jsonl"
    rows = [{"uri": "u:1", "label": "SQL", "text": "SQL structured query language"},
            {"uri": "u:2", "label": None, "text": "a skill with no name"},
            {"label": "no uri"}, "not an object", {"uri": "u:1", "label": "SQL again"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken json\n\n")
    skills, report = read_taxonomy(path)
    assert [s.uri for s in skills] == ["u:1"]
    assert report.rows_read == 6 and report.skipped == 5
    assert set(report.counts) == {"skipped_no_label", "skipped_no_uri", "skipped_bad_json",
                                  "skipped_duplicate_uri"}


def test_a_taxonomy_with_nothing_usable_is_a_clear_error(tmp_path):
    path = tmp_path / "skills.jsonl"
    path.write_text('{"uri": "u:1"}\n')
    with pytest.raises(ValueError, match="no usable skill"):
        read_taxonomy(path)


def test_occupations_name_their_skills_by_label_and_bad_rows_are_reported(tmp_path):
    from training.skills.taxonomy import TaxonomySkill, read_occupations

    skills = [TaxonomySkill("u:1", "SQL", "SQL"), TaxonomySkill("u:2", "apply nursing care",
                                                                "apply nursing care")]
    path = tmp_path / "occupations.jsonl"
    rows = [{"occupation_name": " nurse ", "alternative_names": ["RN"],
             "occupation_description": "Cares for patients.",
             "essential_skills": ["Apply Nursing Care", "unknown skill"],
             "optional_skills": None},
            {"occupation_name": ""}, "not an object"]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n")
    occupations, report = read_occupations(path, skills)
    assert [(o.name, o.essential, o.optional) for o in occupations] == [("nurse", (1,), ())]
    assert "RN" in occupations[0].text and "Cares for patients" in occupations[0].text
    assert report.rows_read == 4 and report.skipped == 3
