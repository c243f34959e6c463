from pipelines.text import (
    Memo,
    analyze,
    clean,
    expand_contractions,
    html_to_text,
    repair_mojibake,
    tokenize,
)


def test_html_is_reduced_to_its_text():
    text = html_to_text("<p>Lead&nbsp;nurse</p><script>x=1</script><ul><li>RN &amp; BSN</li></ul>")
    assert "x=1" not in text
    assert "Lead\xa0nurse" in text and "RN & BSN" in text
    assert html_to_text("salary < 50k & more") == "salary < 50k & more"


def test_mojibake_from_the_coursera_export_is_repaired():
    assert repair_mojibake("Youï¿½ll learn what weï¿½re doing") == "You'll learn what we're doing"
    assert repair_mojibake("Ecole Fï¿½dï¿½rale") == "Ecole Fdrale"
    assert repair_mojibake("caf\u00c3\u00a9") == "café"
    assert "\ufffd" not in repair_mojibake("bullet ï¿½ point")


def test_contractions_are_expanded():
    assert expand_contractions("You’ll see we can't, won't and don't") == (
        "You will see we cannot, will not and do not"
    )


def test_clean_tidies_whitespace_and_lines():
    assert clean("  A\r\n\r\n  b \t c  ") == "A\nb c"


def test_tokenize_keeps_technical_tokens():
    assert tokenize("C++, C# and Node.js; SQL!") == ["c++", "c#", "and", "node.js", "sql"]


def test_analyze_stems_and_drops_stop_words():
    assert analyze("The nurses are managing patients") == ["nurs", "manag", "patient"]
    assert analyze("The nurses", stemmed=False) == ["nurses"]
    assert analyze("", stemmed=True) == []


def test_memo_computes_each_key_once_and_stays_bounded():
    calls = []

    def upper(keys):
        calls.append(sorted(keys))
        return [key.upper() for key in keys]

    memo = Memo(upper, limit=3)
    assert list(memo.map(["a", "b", "a"])) == ["A", "B", "A"]
    assert list(memo.map(["b", "a"])) == ["B", "A"] and calls == [["a", "b"]]
    assert list(memo.map(["c", "d", "b"])) == ["C", "D", "B"]
    assert len(memo) == 3 and calls[-1] == ["b", "c", "d"]
