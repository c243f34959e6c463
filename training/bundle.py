"""The one bundle writer: `careerpath train` and `careerpath retrain` both write through it."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.bundles import BundleStore, ComponentRecord, read_manifest, sha256_of
from runtime.components import NAMES, directory_of, fingerprint, spec


@dataclass
class Component:
    """One trained model ready to be written, under its component name."""

    name: str
    model: Any
    parameters: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def updated(cls, name: str, model: Any, record: ComponentRecord) -> Component:
        """A model updated in place: it keeps the record of the one it was updated from."""
        return cls(name, model, record.parameters, record.metrics, record.data)

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
    is complete. Each component written here records the fingerprints of those it was built
    on. `fields`: the manifest's other fields. Promoted to live unless told not to."""
    base = base if base is not None else store.live()
    staging = store.begin()
    try:
        records: dict[str, ComponentRecord] = {}
        for component in components:
            spec(component.name).save(component.model, staging / component.name)
            records[component.name] = component.record()
        if base is not None:
            _carry_over(base, staging, records, fields)
        for name, record in records.items():
            if record.fingerprint is None:
                record.fingerprint = fingerprint(staging / name)
        for component in components:
            records[component.name].built_on = {
                foundation: print_ for foundation in spec(component.name).depends_on
                if (print_ := records[foundation].fingerprint if foundation in records
                    else None) is not None}
        bundle = store.commit(staging, _in_order(records), **fields)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if promote:
        store.promote(bundle)
    return bundle


def _in_order(records: dict[str, ComponentRecord]) -> dict[str, ComponentRecord]:
    return {name: records[name] for name in NAMES if name in records}


def _carry_over(base: Path, staging: Path, records: dict[str, ComponentRecord],
                fields: dict[str, Any]) -> None:
    """Copy the base bundle's other components under their present names (a bundle of an
    earlier release may have saved them under others)."""
    previous = read_manifest(base)
    carried = []
    for name in NAMES:
        directory = directory_of(base, name)
        if name in records or directory is None:
            continue
        shutil.copytree(directory, staging / name)
        records[name] = previous.components.get(name, ComponentRecord()).model_copy(deep=True)
        carried.append(name)
    if carried:
        fields.setdefault("feedback_watermark", previous.feedback_watermark)
        fields.setdefault("postings_watermark", previous.postings_watermark)
