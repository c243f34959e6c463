"""Writes trained models into a new immutable bundle of a store, with its manifest."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerpath.bundles import BundleStore, read_manifest, sha256_of

COMPONENTS = ("recommender", "tags")


@dataclass
class Component:
    """One trained model ready to be written: `save` writes it into a directory."""

    name: str
    save: Callable[[Path], None]
    parameters: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


def data_hashes(paths: Sequence[Path | str]) -> list[dict[str, str]]:
    """Name and SHA-256 of each input (SQL sources are named, not hashed)."""
    hashes = []
    for source in paths:
        path = Path(source)
        digest = sha256_of(path) if path.is_file() else "not-a-file"
        hashes.append({"path": str(source), "sha256": digest})
    return hashes


def write_bundle(store: BundleStore, components: Sequence[Component], *,
                 promote: bool = True, extra: dict[str, Any] | None = None) -> Path:
    """A new bundle with `components`; the others are carried over from the live bundle so
    that every bundle is complete. Promoted to live unless told otherwise."""
    staging = store.begin()
    try:
        manifest: dict[str, Any] = {"components": [], "data": {}, "parameters": {}, "metrics": {}}
        for component in components:
            component.save(staging / component.name)
            _describe(manifest, component.name, component.parameters, component.metrics,
                      component.data)
        _carry_over(store.live(), staging, manifest, {c.name for c in components})
        manifest.update(extra or {})
        bundle = store.commit(staging, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if promote:
        store.promote(bundle)
    return bundle


def _describe(manifest: dict[str, Any], name: str, parameters: Any, metrics: Any,
              data: Any) -> None:
    manifest["components"].append(name)
    manifest["parameters"][name] = parameters
    manifest["metrics"][name] = metrics
    manifest["data"][name] = data


def _carry_over(live: Path | None, staging: Path, manifest: dict[str, Any],
                written: set[str]) -> None:
    if live is None:
        return
    previous = read_manifest(live)
    for name in previous.get("components", []):
        if name in written or not (live / name).is_dir():
            continue
        shutil.copytree(live / name, staging / name)
        _describe(manifest, name, previous["parameters"].get(name),
                  previous["metrics"].get(name), previous["data"].get(name))
        if "feedback_watermark" in previous:
            manifest.setdefault("feedback_watermark", previous["feedback_watermark"])
