"""Domain errors: what the models cannot answer, and why. They know nothing of HTTP; the web
layer maps each to a problem response in one place (`service/errors.py`), and batch
prediction reports them per posting."""

from __future__ import annotations


class PostingError(ValueError):
    """A posting the models cannot answer as sent; the caller can fix it."""

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def __str__(self) -> str:
        return self.detail


class UnknownTextError(PostingError):
    """The posting shares no word with what the model knows, so any ranking would be noise."""


class NotEnglishError(PostingError):
    """The posting is clearly written in a language the models did not learn."""


class PostingTooLongError(PostingError):
    """The posting is longer than the configured limit."""


class ComponentMissingError(LookupError):
    """The bundle holds no model for what was asked."""
