from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, ForeignKey, MetaData, String, Table, Text, create_engine

from pipelines.jobs import SqlJobSource, read_jobs, write_jobs
from tests.conftest import SAMPLE


def test_indeed_tsv_keeps_tags_and_empty_tag_sets(tmp_path):
    path = tmp_path / "jobs.tsv"
    path.write_text(
        "tags\tdescription\n"
        "part-time-job hourly-wage\tCashier, $12 per hour\n"
        "\tNo tags here\n"
        "salary\t \n",
        encoding="utf-8",
    )
    jobs, report = read_jobs(path)
    assert [j.tags for j in jobs] == [["part-time-job", "hourly-wage"], []]
    assert report.counts["skipped_empty_description"] == 1


def test_unlabeled_tsv_has_no_tags(tmp_path):
    path = tmp_path / "unlabeled.tsv"
    path.write_text('description\nA "quoted" posting\nAnother one\n', encoding="utf-8")
    jobs, _ = read_jobs(path)
    assert [j.tags for j in jobs] == [None, None]
    assert jobs[0].description == 'A "quoted" posting'


def test_glassdoor_csv_dedupes_repeated_ads(tmp_path):
    path = tmp_path / "gd.csv"
    path.write_text(
        "Job_title,Company,Job_Desc\n"
        'Data Scientist,Acme,"Build models\nin Python"\n'
        'Data Scientist,Acme,"Build models\nin Python"\n'
        "Analyst,Beta,Use SQL\n",
        encoding="utf-8",
    )
    jobs, report = read_jobs(path)
    assert [j.title for j in jobs] == ["Data Scientist", "Analyst"]
    assert report.counts["skipped_duplicate"] == 1


def test_jsonl_reads_canonical_plain_and_esco(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "j1", "title": "Nurse", "description": "Care for patients", "tags": []}\n'
        '{"text": "plain text posting"}\n'
        "{broken\n"
        '{"occupation_uri": "http://x/occupation/abc", "occupation_name": " welder ", '
        '"occupation_description": "Welders join metal.", "essential_skills": "[\'welding\']"}\n',
        encoding="utf-8",
    )
    jobs, report = read_jobs(path)
    assert [j.id for j in jobs][0] == "j1" and jobs[0].tags == []
    assert jobs[1].description == "plain text posting" and jobs[1].tags is None
    assert jobs[2].id == "abc" and jobs[2].title == "welder" and "welding" in jobs[2].description
    assert report.counts["skipped_bad_json"] == 1


def test_write_then_read_roundtrip(tmp_path):
    jobs, _ = read_jobs(SAMPLE / "jobs.jsonl")
    out = tmp_path / "out.jsonl"
    write_jobs(jobs, out)
    assert read_jobs(out)[0] == jobs


def _fill_tag_database(url: str, suffix: str) -> tuple[str, str]:
    jobs_name, tags_name = f"jobs_{suffix}", f"job_tags_{suffix}"
    metadata = MetaData()
    jobs = Table(jobs_name, metadata, Column("id", String, primary_key=True),
                 Column("title", String), Column("description", Text))
    tags = Table(tags_name, metadata, Column("job_id", String, ForeignKey(f"{jobs_name}.id")),
                 Column("tag", String))
    engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(jobs.insert(), [
            {"id": "1", "title": "Nurse", "description": "RN licence, full time"},
            {"id": "2", "title": "Clerk", "description": "Part time, $12/hour"},
            {"id": "3", "title": "Intern", "description": "No tags"},
            {"id": "4", "title": "Empty", "description": ""},
        ])
        connection.execute(tags.insert(), [
            {"job_id": "1", "tag": "licence-needed"}, {"job_id": "1", "tag": "full-time-job"},
            {"job_id": "2", "tag": "part-time-job"}, {"job_id": "2", "tag": "hourly-wage"},
        ])
    engine.dispose()
    return jobs_name, tags_name


def _check_sql_source(url: str) -> None:
    jobs_table, tags_table = _fill_tag_database(url, uuid.uuid4().hex[:8])
    jobs, report = SqlJobSource(url, jobs_table=jobs_table, tags_table=tags_table).read()
    assert {j.id: j.tags for j in jobs} == {
        "1": ["full-time-job", "licence-needed"],
        "2": ["hourly-wage", "part-time-job"],
        "3": [],
    }
    assert report.counts["skipped_empty_description"] == 1


def test_sql_source_on_sqlite(tmp_path):
    _check_sql_source(f"sqlite:///{tmp_path / 'jobs.db'}")


@pytest.mark.postgres
def test_sql_source_on_postgresql(postgres_url):
    _check_sql_source(postgres_url)


def test_read_jobs_dispatches_sql_urls(tmp_path):
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    _fill_tag_database_default(url)
    jobs, _ = read_jobs(url)
    assert len(jobs) == 1 and jobs[0].tags == ["salary"]


def _fill_tag_database_default(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("create table jobs (id text, title text, description text)")
        connection.exec_driver_sql("create table job_tags (job_id text, tag text)")
        connection.exec_driver_sql("insert into jobs values ('9', 'PM', 'Lead projects')")
        connection.exec_driver_sql("insert into job_tags values ('9', 'salary')")
    engine.dispose()


@pytest.mark.shared_data
def test_shared_job_sources_read(shared_data):
    labeled, _ = read_jobs(shared_data / "jobs" / "indeed_tags_dev.tsv")
    assert len(labeled) == 3500 and all(j.tags is not None for j in labeled)
    assert sum(1 for j in labeled if not j.tags) > 500
    unlabeled, _ = read_jobs(shared_data / "jobs" / "indeed_unlabeled.tsv")
    assert len(unlabeled) == 1241 and all(j.tags is None for j in unlabeled)
    files = sorted((shared_data / "jobs" / "glassdoor").glob("*.csv"))
    glassdoor = [read_jobs(path)[0] for path in files]
    assert sum(map(len, glassdoor)) >= 2078
