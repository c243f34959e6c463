"""The one bundle writer: `careerpath train` and `careerpath retrain` both write through it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.bundles import BundleStore, ComponentRecord, read_manifest, sha256_of


@dataclass
class Component:
    """One trained model ready to be written: `save` writes it into a directory."""

    name: str
    save: Callable[[Path], None]
    parameters: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def updated(cls, name: str, save: Callable[[Path], None],
                record: ComponentRecord) -> Component:
        """A model updated in place: it keeps the record of the one it was updated from."""
        return cls(name, save, record.parameters, record.metrics, record.data)

    def record(self) -> ComponentRecord:
        return ComponentRecord(parameters=self.parameters, metrics=self.metrics, data=self.data)


def data_hashes(paths: Sequence[Path | str]) -> list[dict[str, str]]:
    """Name and SHA-256 of each input (SQL sources are named, not hashed)."""
    hashes = []
    for source in paths:
        path = Path(source)
        digest = sha256_of(path) if path.is_file() else "not-a-file"
        hashes.append({"path": str(source), "sha256": digest})
    return hashes


def write_bundle(store: BundleStore, components: Sequence[Component], *,
                 base: Path | None = None, promote: bool = True, **fields: Any) -> Path:
    """A new bundle with `components`; every other component of `base` (by default the live
    bundle) is carried over, with its record and the feedback watermarks, so that every bundle
    is complete. `fields`: the manifest's other fields. Promoted to live unless told not to."""
    base = base if base is not None else store.live()
    staging = store.begin()
    try:
        records: dict[str, ComponentRecord] = {}
        for component in components:
            component.save(staging / component.name)
            records[component.name] = component.record()
        if base is not None:
            _carry_over(base, staging, records, fields)
        bundle = store.commit(staging, records, **fields)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if promote:
        store.promote(bundle)
    return bundle


def _carry_over(base: Path, staging: Path, records: dict[str, ComponentRecord],
                fields: dict[str, Any]) -> None:
    previous = read_manifest(base)
    carried = [name for name in previous.components
               if name not in records and (base / name).is_dir()]
    for name in carried:
        shutil.copytree(base / name, staging / name)
        records[name] = previous.components[name]
    if carried:
        fields.setdefault("feedback_watermark", previous.feedback_watermark)
        fields.setdefault("postings_watermark", previous.postings_watermark)
