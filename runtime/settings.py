"""Configuration shared by `serve`, `train` and `retrain`: environment variables with the prefix
CAREERPATH_ (command-line flags override them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREERPATH_", extra="ignore")

    model_dir: Path = Field(Path("models"), description="The bundle store: versioned bundles, "
                            "the LIVE pointer and the promotion HISTORY (or, to serve it "
                            "alone, one bundle).")
    feedback_url: str = Field("sqlite:///var/feedback.db", description="sqlite:/// or postgresql://")
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated keys; when set, X-API-Key is required."
    )
    max_body_bytes: int = Field(2_000_000, gt=0)
    max_text_chars: int = Field(50_000, gt=0)
    max_batch: int = Field(100, gt=0)
    workers: int = Field(1, gt=0)
    reload_interval_seconds: float = Field(2.0, gt=0)
    record_postings: bool = Field(False, description="Keep postings seen by /tags for retraining.")

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value
