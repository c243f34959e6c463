from pipelines.segment import heading_kind, split_parts

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
