"""How the reader reads real postings (a reader learned from thousands of them), and how it is
saved."""

import numpy as np

from pipelines.segment import Part
from runtime.reader import PostingReader, load_reader, save_reader
from tests.pipelines.test_segment import POSTING


def test_the_classifier_reads_parts_without_a_heading(reader):
    eeo, duty, benefits = reader.score([
        Part("We are an equal opportunity employer and value diversity at our company.", "",
             None),
        Part("Develop and maintain ETL pipelines in Python and SQL.", "", None),
        Part("Medical, dental, vision, 401(k), life insurance", "", None)])
    assert eeo.job < 0.2 and benefits.job < 0.2 and duty.job > 0.8


def test_a_confident_classifier_overrules_a_heading(reader):
    pasted = Part("All qualified applicants will receive consideration for employment without "
                  "regard to race, color, religion, sex or national origin.", "Requirements",
                  "job")
    assert reader.score([pasted])[0].job < 0.5


def test_job_text_keeps_the_job_and_drops_the_rest(reader):
    text = reader.job_text(POSTING)
    assert "tractor-trailer" in text and "Class A CDL" in text
    assert "401(k)" not in text and "veteran" not in text and "since 1982" not in text


def test_a_posting_of_nothing_but_boilerplate_is_read_whole(reader):
    only = "We are an equal opportunity employer and value diversity at our company."
    assert reader.job_text(only) == only


def test_a_saved_reader_reads_as_it_did(tmp_path, reader):
    save_reader(reader, tmp_path)
    again = load_reader(tmp_path)
    assert again.version == reader.version
    assert [p.job for p in again.read(POSTING)] == [p.job for p in reader.read(POSTING)]


def test_the_version_tells_weights_apart(reader):
    other = PostingReader(reader.kernel + np.float32(0.5), reader.bias, reader.heading_weight)
    assert other.version != reader.version
