"""What `serve`, `train` and `retrain` share: where the bundles and the feedback live, from
environment variables with the prefix CAREERPATH_ (command-line flags override them). The
service's own settings extend these (`service/settings.py`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREERPATH_", extra="ignore")

    model_dir: Path = Field(Path("models"), description="The bundle store: versioned bundles, "
                            "the LIVE pointer and the promotion HISTORY (or, to serve it "
                            "alone, one bundle).")
    feedback_url: str = Field("sqlite:///var/feedback.db", description="sqlite:/// or postgresql://")
    record_postings: bool = Field(False, description="Keep postings seen by /tags for retraining.")
