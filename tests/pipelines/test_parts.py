from pipelines.parts import Part, default_reader, heading_kind, split_parts

POSTING = """About Northwind Logistics:
Northwind Logistics has moved freight across the Midwest since 1982 and is proud to be a
family company.

Responsibilities:
- Drive a tractor-trailer on regional routes
- Inspect the truck before and after each trip

Requirements:
- Valid Class A CDL and 2 years of driving experience

Benefits:
Medical, dental and vision insurance, 401(k) with company match, paid time off.

Northwind Logistics is an equal opportunity employer. All qualified applicants will receive
consideration for employment without regard to race, color, religion, sex, national origin,
disability or veteran status.
"""


def _texts(parts):
    return [part.text for part in parts]


def test_headings_are_read_in_plain_text():
    parts = split_parts(POSTING)
    by_text = {part.text: part for part in parts}
    assert by_text["Drive a tractor-trailer on regional routes"].heading == "Responsibilities"
    assert by_text["Drive a tractor-trailer on regional routes"].heading_kind == "job"
    benefits = next(text for text in by_text if text.startswith("Medical, dental"))
    assert by_text[benefits].heading_kind == "other"


def test_a_heading_reaches_to_the_end_of_its_paragraph_only():
    eeo = next(p for p in split_parts(POSTING) if p.text.startswith("Northwind Logistics is"))
    assert eeo.heading == "" and eeo.heading_kind is None


def test_headings_and_lists_are_read_in_html():
    html = ("<h3>Qualifications</h3><ul><li>Python and SQL</li><li>Tableau</li></ul>"
            "<p><strong>Benefits:</strong> dental and vision</p>")
    parts = split_parts(html)
    assert [(p.text, p.heading_kind) for p in parts] == [
        ("Python and SQL", "job"), ("Tableau", "job"), ("dental and vision", "other")]


def test_runs_of_spaces_end_lines_and_inline_headings_are_found():
    parts = split_parts("Responsibilities:  Design services   Requirements:    •Java  •C++")
    assert [(p.text, p.heading) for p in parts] == [
        ("Design services", "Responsibilities"), ("Java", "Requirements"),
        ("C++", "Requirements")]


def test_a_list_item_is_no_heading():
    parts = split_parts("Requirements:\nExperience with Python\nSQL\nStrong communication skills")
    assert _texts(parts) == ["Experience with Python", "SQL", "Strong communication skills"]
    assert {p.heading for p in parts} == {"Requirements"}


def test_heading_words_say_what_a_section_is():
    assert heading_kind("About the role") == "job"
    assert heading_kind("About us") == "other"
    assert heading_kind("What you'll do") == "job"
    assert heading_kind("What we offer") == "other"
    assert heading_kind("Equal Employment Opportunity") == "other"
    assert heading_kind("Job description") is None  # it heads duties and company story alike


def test_the_classifier_reads_parts_without_a_heading():
    reader = default_reader()
    eeo, duty, benefits = reader.score([
        Part("We are an equal opportunity employer and value diversity at our company.", "",
             None),
        Part("Develop and maintain ETL pipelines in Python and SQL.", "", None),
        Part("Medical, dental, vision, 401(k), life insurance", "", None)])
    assert eeo.job < 0.2 and benefits.job < 0.2 and duty.job > 0.8


def test_a_confident_classifier_overrules_a_heading():
    pasted = Part("All qualified applicants will receive consideration for employment without "
                  "regard to race, color, religion, sex or national origin.", "Requirements",
                  "job")
    assert default_reader().score([pasted])[0].job < 0.5


def test_job_text_keeps_the_job_and_drops_the_rest():
    text = default_reader().job_text(POSTING)
    assert "tractor-trailer" in text and "Class A CDL" in text
    assert "401(k)" not in text and "veteran" not in text and "since 1982" not in text


def test_a_posting_of_nothing_but_boilerplate_is_read_whole():
    only = "We are an equal opportunity employer and value diversity at our company."
    assert default_reader().job_text(only) == only
