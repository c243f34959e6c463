from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.courses import detect_format, load_catalog, read_courses, url_id, write_jsonl

COURSERA_HEADER = (
    "Course_Name,University,Difficulty_Level,Course_Rating,Course _URL,Course_Description,Skills\n"
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_url_id_is_the_last_segment():
    assert url_id("https://www.coursera.org/learn/machine-learning/") == "machine-learning"
    assert url_id("https://www.coursera.org/learn/sql?x=1") == "sql"


def test_coursera_quirks_are_repaired_merged_and_reported(tmp_path):
    path = _write(
        tmp_path / "c.csv",
        COURSERA_HEADER
        + 'Intro ML,Stanford,Conversant,4.9,https://www.coursera.org/learn/ml,"Youï¿½ll learn ML",'
        '"Python  Statistics  Regression computer-science machine-learning"\n'
        + "Intro ML,Stanford,Beginner,4.9,https://www.coursera.org/learn/ml,Longer text about ML,"
        '"Deep Learning data-science machine-learning"\n'
        + ",Nowhere,Beginner,4.0,https://www.coursera.org/learn/nameless,Text,Skill a b\n"
        + "Calibrated,Uni,Not Calibrated,4.0,https://www.coursera.org/learn/nc,Some words here,"
        '"Excel business finance"\n',
    )
    assert detect_format(path) == "coursera2021"
    courses, report = read_courses(path)
    by_id = {c.id: c for c in courses}
    assert set(by_id) == {"ml", "nc"}
    assert by_id["ml"].description == "Longer text about ML"
    assert by_id["ml"].skills == ["Python", "Statistics", "Regression", "Deep Learning"]
    assert by_id["nc"].level is None and by_id["nc"].skills == ["Excel"]
    assert report.rows_read == 4 and report.records_written == 2 and report.skipped == 1
    assert report.counts["merged_duplicate_id"] == 1
    assert report.counts["mojibake_repaired_description"] == 1
    assert report.counts["level_normalized"] >= 1
    assert "title" in report.samples["skipped_invalid"][0]


def test_generic_jsonl_reports_bad_lines_without_crashing(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        '{"id": "a", "title": "A", "description": "<b>Bold</b> text", "skills": "x; y",'
        ' "level": "Introductory", "language": "Español"}\n'
        "not json\n"
        '["a list"]\n'
        '{"id": "b"}\n',
    )
    courses, report = read_courses(path)
    assert [c.id for c in courses] == ["a"]
    assert courses[0].description == "Bold text"
    assert courses[0].skills == ["x", "y"]
    assert (courses[0].level, courses[0].language) == ("beginner", "es")
    assert report.rows_read == 4 and report.skipped == 3


def test_generic_csv_and_roundtrip(tmp_path):
    path = _write(tmp_path / "c.csv", "id,title,description,skills\nk1,Kotlin,Learn Kotlin,a;b\n")
    courses, _ = read_courses(path)
    out = tmp_path / "catalog.jsonl"
    write_jsonl(courses, out)
    assert load_catalog(out) == courses


def test_unknown_csv_asks_for_a_format(tmp_path):
    with pytest.raises(ValueError, match="--format"):
        detect_format(_write(tmp_path / "x.csv", "a,b\n1,2\n"))


@pytest.mark.shared_data
def test_coursera_2021_imports_3424_unique_courses(shared_data):
    courses, report = read_courses(shared_data / "courses" / "coursera_2021.csv")
    assert len(courses) == 3424 == report.records_written
    assert report.rows_read == 3522
    assert report.counts["merged_duplicate_id"] == 98
    assert report.counts["mojibake_repaired_description"] > 1800
    assert not any("ï¿½" in c.description or "\ufffd" in c.description for c in courses)
    assert {c.level for c in courses} <= {"beginner", "intermediate", "advanced", None}
    assert all(not s.endswith("machine-learning") for c in courses for s in c.skills)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "expected", "fmt"),
    [("edx_2021.csv", 974, "edx"), ("coursera_coureco_1000.csv", 984, "coureco")],
)
def test_other_catalogs_import(shared_data, name, expected, fmt):
    path = shared_data / "courses" / name
    assert detect_format(path) == fmt
    courses, report = read_courses(path)
    assert len(courses) == expected
    assert report.rows_read == report.records_written + report.counts["merged_duplicate_id"]
    assert all(c.title and c.id for c in courses)
    if fmt == "edx":
        assert {"en", "es"} <= {c.language for c in courses}


def test_import_cli_writes_catalog_and_report(tmp_path):
    from careerpath.cli import main

    source = _write(tmp_path / "c.csv", "id,title,description\nk1,Kotlin,Learn Kotlin\n")
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    assert main(["import", "courses", str(source), "--out", str(out), "--report", str(report)]) == 0
    assert [c.id for c in load_catalog(out)] == ["k1"]
    assert json.loads(report.read_text())["records_written"] == 1
