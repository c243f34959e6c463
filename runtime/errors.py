"""Domain errors: what the models cannot answer, and why. They know nothing of HTTP; the web
layer maps each to a problem response in one place (`service/errors.py`), and batch
prediction reports them per posting."""

from __future__ import annotations

PROBLEM_TYPES = "urn:careerpath:problem:"


class PostingError(ValueError):
    """A posting the models cannot answer as sent; the caller can fix it. `kind` names it
    the same way everywhere: the API's problem `type`, a batch item's, a `predict` line's."""

    kind = "unanswerable-posting"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def __str__(self) -> str:
        return self.detail

    @property
    def problem_type(self) -> str:
        return PROBLEM_TYPES + self.kind


class UnreadableTextError(PostingError):
    """The posting holds no words once its markup is removed: nothing to read."""

    kind = "unreadable-text"


class UnknownTextError(PostingError):
    """The posting shares no word with what the model knows, so any ranking would be noise."""

    kind = "unknown-text"


class NotEnglishError(PostingError):
    """The posting is clearly written in a language the models did not learn."""

    kind = "not-english"


class PostingTooLongError(PostingError):
    """The posting is longer than the configured limit."""

    kind = "posting-too-long"


class ComponentMissingError(LookupError):
    """The bundle holds no model for what was asked."""


class OutdatedComponentError(ValueError):
    """A bundle's component was saved in a format this code no longer reads: the bundle loads
    without it (and what is built on it) until it is trained again."""
