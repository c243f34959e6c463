"""The service's configuration: the shared settings (`runtime/settings.py`) and what only the
web service reads, from environment variables with the prefix CAREERPATH_."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from runtime.settings import Settings


class ServiceSettings(Settings):
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated keys; when set, X-API-Key is required."
    )
    max_body_bytes: int = Field(2_000_000, gt=0)
    max_text_chars: int = Field(50_000, gt=0)
    max_batch: int = Field(100, gt=0)
    workers: int = Field(1, gt=0)
    reload_interval_seconds: float = Field(2.0, gt=0)
    reload_lock_file: Path | None = Field(None, description=(
        "A file by which the workers of one instance take turns loading a new bundle "
        "(`careerpath serve` makes a fresh one); unset: they load at once."))
    keep_alive_seconds: float = Field(75.0, gt=0, description=(
        "How long an idle connection stays open: longer than load balancers' idle timeouts "
        "(60 s on the common ones), so that they, not the service, close it first."))
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list, description=(
        "Comma-separated origins whose browser pages may call the API; empty: none."))
    rate_limit: str | None = Field(None, description=(
        "RATE/BURST per API key (per client address without keys), e.g. 20/40; unset: no "
        "limit."))
    rate_limits: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict, description="Per-key limits, KEY=RATE/BURST,KEY=RATE/BURST.")
    rate_limit_file: Path | None = Field(None, description=(
        "Where the workers of one instance keep their token buckets (`careerpath serve` "
        "makes a fresh one); unused when `redis_url` is set."))
    redis_url: str | None = Field(None, description=(
        "Redis (redis://host:6379/0) shared by every worker and replica: their rate limits "
        "and the answers they keep; unset: each instance keeps its own."))
    answer_cache_bytes: int = Field(32_000_000, ge=0, description=(
        "How many bytes of recent answers each worker keeps in memory (0: none)."))

    @field_validator("rate_limits", mode="before")
    @classmethod
    def _split_limits(cls, value: object) -> object:
        if isinstance(value, str):
            pairs = [item.split("=", 1) for item in value.split(",") if item.strip()]
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("write KEY=RATE/BURST pairs separated by commas")
            return {key.strip(): limit.strip() for key, limit in pairs}
        return value

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value
