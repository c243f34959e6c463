import pytest

from runtime.errors import NotEnglishError
from runtime.language import LanguageGuard, plainly_english

ENGLISH = ("We are hiring a registered nurse to join our team. You will assess patients and "
           "administer medication with the care team.")
BILINGUAL = ("We are looking for bilingual (Japanese & English) staff. "
             + "日本から来るホテルブッキングやオプショナルツアーの手配を行います。" * 8)


class _NoIdentifier:
    def detect(self, text: str, k: int = 1) -> list[dict]:
        raise AssertionError("the identifier was asked about plainly English text")


@pytest.fixture(scope="module")
def guard():
    return LanguageGuard()


def test_plain_english_is_let_through_without_the_identifier():
    guard = LanguageGuard()
    guard._detector = _NoIdentifier()
    guard.check("Registered Nurse", ENGLISH)


@pytest.mark.parametrize(("text", "language"), [
    ("Wir suchen eine erfahrene Pflegekraft in Vollzeit für unsere Station in Berlin.", "de"),
    ("Estamos contratando instaladores de ladrillo y piedra para trabajar en el area.", "es"),
    (BILINGUAL, "ja"),
])
def test_other_languages_go_to_the_identifier_and_are_refused(guard, text, language):
    assert not plainly_english(text)
    with pytest.raises(NotEnglishError) as refused:
        guard.check("", text)
    assert refused.value.extra["language"] == language


def test_english_that_the_quick_check_misses_is_still_accepted(guard):
    keywords = "Java Kotlin Spring Boot Kubernetes Docker AWS GCP Terraform Linux"
    assert not plainly_english(keywords)
    guard.check("Backend Engineer", keywords)
