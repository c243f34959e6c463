"""Model bundles: immutable, versioned directories with a manifest.json, and a LIVE pointer
naming the one in service. A bundle is written under a temporary name and renamed into place,
and the pointer is replaced atomically, so readers never see a half-written state."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
POINTER = "LIVE"


class BundleError(ValueError):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(bundle: Path) -> dict[str, Any]:
    try:
        return json.loads((bundle / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BundleError(f"{bundle} is not a bundle: {error}") from error


class BundleStore:
    """A directory of bundles plus the LIVE pointer."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def begin(self) -> Path:
        """A fresh staging directory for a new bundle (invisible until `commit`)."""
        self.root.mkdir(parents=True, exist_ok=True)
        version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ") + "-" + secrets.token_hex(2)
        staging = self.root / f".staging-{version}"
        staging.mkdir()
        return staging

    def commit(self, staging: Path, manifest: dict[str, Any]) -> Path:
        """Write the manifest and move the staging directory to its final, versioned name."""
        version = staging.name.removeprefix(".staging-")
        manifest = {"version": version, "created_at": datetime.now(UTC).isoformat(), **manifest}
        _write_atomic(staging / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        final = self.root / version
        os.replace(staging, final)
        return final

    def promote(self, bundle: Path) -> None:
        read_manifest(bundle)
        _write_atomic(self.root / POINTER, bundle.name + "\n")

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
