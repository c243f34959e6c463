"""Model bundles: immutable, versioned directories with a manifest.json, and a LIVE pointer
naming the one in service. A bundle is written under a temporary name and renamed into place,
and the pointer is replaced atomically, so readers never see a half-written state. Every
promotion is recorded in HISTORY, so any promotion can be rolled back."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from runtime.components import present_name

MANIFEST = "manifest.json"
POINTER = "LIVE"
HISTORY = "HISTORY"


class BundleError(ValueError):
    pass


class ComponentRecord(BaseModel):
    """What the manifest says of one model: how it was trained, how it scored, on what data."""

    model_config = ConfigDict(extra="forbid")

    parameters: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, Any] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)
    fingerprint: str | None = Field(None, description="A digest of the files it saved.")
    built_on: dict[str, str] = Field(default_factory=dict, description=(
        "The fingerprints of the components it was built on, by name."))


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    created_at: datetime
    components: dict[str, ComponentRecord]
    feedback_watermark: int = Field(0, description="The last feedback row learned from.")
    postings_watermark: int = Field(0, description="The last recorded posting learned from.")
    retrained_from: str | None = None
    retrain: dict[str, Any] | None = Field(None, description="The retrain gate's record.")

    @model_validator(mode="before")
    @classmethod
    def _first_layout(cls, values: Any) -> Any:
        """Bundles written before the typed manifest listed the components by name and kept
        their parameters, metrics and data in three dictionaries keyed by name; earlier
        releases also named some components otherwise."""
        if isinstance(values, dict) and isinstance(values.get("components"), list):
            values = dict(values)
            tables = {part: values.pop(part, None) or {} for part in
                      ("parameters", "metrics", "data")}
            values["components"] = {
                name: {part: table.get(name) or {} for part, table in tables.items()}
                for name in values["components"]}
            for mark in ("feedback_watermark", "postings_watermark"):
                values[mark] = values.get(mark) or 0
        if isinstance(values, dict) and isinstance(values.get("components"), dict):
            values = {**values, "components": {
                present_name(name): record for name, record in values["components"].items()}}
        return values


def stale_components(manifest: Manifest) -> dict[str, list[str]]:
    """The components whose foundations changed after they were built (by name: the
    foundations that changed), which would describe a model that is no longer beside them.
    Bundles of releases before fingerprints have nothing to compare."""
    stale: dict[str, list[str]] = {}
    for name, record in manifest.components.items():
        changed = [foundation for foundation, print_ in record.built_on.items()
                   if foundation not in manifest.components
                   or manifest.components[foundation].fingerprint != print_]
        if changed:
            stale[name] = changed
    return stale


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(bundle: Path) -> Manifest:
    try:
        return Manifest.model_validate_json((bundle / MANIFEST).read_bytes())
    except (OSError, ValidationError) as error:
        raise BundleError(f"{bundle} is not a bundle: {error}") from error


class BundleStore:
    """A directory of bundles, the LIVE pointer and the promotion HISTORY."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def begin(self) -> Path:
        """A fresh staging directory for a new bundle (invisible until `commit`)."""
        self.root.mkdir(parents=True, exist_ok=True)
        version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ") + "-" + secrets.token_hex(2)
        staging = self.root / f".staging-{version}"
        staging.mkdir()
        return staging

    def commit(self, staging: Path, components: dict[str, ComponentRecord],
               **fields: Any) -> Path:
        """Write the manifest and move the staging directory to its final, versioned name."""
        version = staging.name.removeprefix(".staging-")
        manifest = Manifest(version=version, created_at=datetime.now(UTC),
                            components=components, **fields)
        _write_atomic(staging / MANIFEST, manifest.model_dump_json(indent=2))
        final = self.root / version
        os.replace(staging, final)
        return final

    def promote(self, bundle: Path) -> None:
        """Make `bundle` live, and record the switch for `rollback`."""
        read_manifest(bundle)
        previous = self.live()
        _write_atomic(self.root / POINTER, bundle.name + "\n")
        if previous is not None and previous.name != bundle.name:
            with (self.root / HISTORY).open("a", encoding="utf-8") as history:
                history.write(f"{previous.name} -> {bundle.name}\n")
                history.flush()
                os.fsync(history.fileno())

    def rollback(self) -> Path:
        """Make the bundle that was live before the last promotion live again."""
        history = self.root / HISTORY
        lines = history.read_text().splitlines() if history.exists() else []
        if not lines:
            raise BundleError("no promotion to roll back")
        previous, current = (part.strip() for part in lines[-1].split("->"))
        live = self.live()
        if live is None or live.name != current:
            raise BundleError(f"the live bundle is not {current}; nothing to roll back safely")
        target = self.root / previous
        if not (target / MANIFEST).is_file():
            raise BundleError(f"bundle {previous} is gone (pruned); cannot roll back")
        _write_atomic(self.root / POINTER, target.name + "\n")
        _write_atomic(history, "".join(f"{line}\n" for line in lines[:-1]))
        return target

    def live(self) -> Path | None:
        try:
            name = (self.root / POINTER).read_text().strip()
        except FileNotFoundError:
            return None
        return self.root / name

    def versions(self) -> list[Path]:
        return sorted(p for p in self.root.iterdir() if (p / MANIFEST).is_file())

    def prune(self, keep: int) -> list[Path]:
        """Remove all but the newest `keep` bundles; never the live one."""
        live = self.live()
        doomed = [p for p in self.versions()[:-keep] if p != live] if keep else []
        for bundle in doomed:
            shutil.rmtree(bundle)
        return doomed


def resolve_bundle(path: Path) -> Path:
    """`path` itself when it is a bundle, else the live bundle of the store at `path`."""
    path = Path(path)
    if (path / MANIFEST).is_file():
        return path
    live = BundleStore(path).live()
    if live is None:
        raise BundleError(f"{path} is neither a bundle nor a store with a {POINTER} pointer")
    return live


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
