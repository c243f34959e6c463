"""The canonical records every importer writes and every model reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Level = Literal["beginner", "intermediate", "advanced", "mixed"]


class Course(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    provider: str = ""
    level: Level | None = None
    url: str = ""
    skills: list[str] = Field(default_factory=list)
    language: str = "en"

    @field_validator("id", "title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class Job(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = ""
    description: str
    tags: list[str] | None = None  # None: unlabeled; []: labeled with no tag

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}" if self.title else self.description
