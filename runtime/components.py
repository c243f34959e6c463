"""The components of a bundle, by the one name each goes by: in the command line, as its
directory in a bundle and as its package (`runtime/<name>`, `training/<name>`). Each says how
it is saved and loaded and which components it is built on, so that training or retraining
one refits what is built on it, and a bundle never holds a model that describes another
model than the one beside it.

A component's record in the manifest carries the fingerprint of what was saved and the
fingerprints of the components it was built on; `stale_components` lists those whose
foundations have changed since."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runtime.errors import OutdatedComponentError

Models = Mapping[str, Any]


@dataclass(frozen=True)
class ComponentSpec:
    """`package` (imported when first needed, so that naming components costs nothing) has
    `save(model, directory)` and `load(directory, *loaded_with)`: the loaded components
    (of those it is built on) that it reads with."""

    name: str
    summary: str
    depends_on: tuple[str, ...]
    package: str
    loaded_with: tuple[str, ...] = ()
    earlier_names: tuple[str, ...] = ()  # its directory in bundles of earlier releases

    def load(self, directory: Path | None, models: Models) -> Any:
        return self._module().load(directory, *(models[name] for name in self.loaded_with))

    def save(self, model: Any, directory: Path) -> None:
        self._module().save(model, directory)

    def _module(self) -> Any:
        return importlib.import_module(self.package)


COMPONENTS: tuple[ComponentSpec, ...] = (  # each after the components it is built on
    ComponentSpec("reader", "the posting reader: which parts of a posting state the job", (),
                  "runtime.reader"),
    ComponentSpec("recommend", "the course recommender", ("reader",), "runtime.recommend",
                  ("reader",), earlier_names=("recommender",)),
    ComponentSpec("tags", "the job tag model", ("reader",), "runtime.tags", ("reader",)),
    ComponentSpec("skills", "the ESCO skill extractor", ("reader",), "runtime.skills",
                  ("reader",)),
    ComponentSpec("path", "the path planner: calibrated confidence on the recommender and "
                          "the skills", ("recommend", "skills"), "runtime.path",
                  earlier_names=("paths",)),
)
NAMES = tuple(spec.name for spec in COMPONENTS)
_SPECS = {spec.name: spec for spec in COMPONENTS}


def spec(name: str) -> ComponentSpec:
    try:
        return _SPECS[name]
    except KeyError:
        raise ValueError(f"no component {name!r}: one of {', '.join(NAMES)}") from None


def present_name(name: str) -> str:
    """A component's name now, for the name an earlier release gave it."""
    return next((c.name for c in COMPONENTS if name in c.earlier_names), name)


def directory_of(bundle: Path, name: str) -> Path | None:
    """The component's directory in `bundle` (under its name, or the name an earlier release
    gave it), or None when the bundle has no such component."""
    for candidate in (name, *spec(name).earlier_names):
        if (bundle / candidate).is_dir():
            return bundle / candidate
    return None


def present(bundle: Path) -> list[str]:
    return [name for name in NAMES if directory_of(bundle, name) is not None]


def dependents(names: Iterable[str]) -> list[str]:
    """Every component built on any of `names`, directly or through another, in order."""
    found = set(names)
    for component in COMPONENTS:
        if found & set(component.depends_on):
            found.add(component.name)
    return [name for name in NAMES if name in found and name not in set(names)]


def load_components(bundle: Path, names: Iterable[str] | None = None,
                    models: Models | None = None) -> dict[str, Any]:
    """The bundle's components (those of `names`, and what they are built on), each loaded on
    top of its foundations; `models` already loaded are used as they are. A bundle written
    before the reader was a component gets the reader its models were trained with."""
    wanted = set(NAMES if names is None else names)
    for component in reversed(COMPONENTS):
        if component.name in wanted:
            wanted.update(component.depends_on)
    loaded: dict[str, Any] = dict(models or {})
    for component in COMPONENTS:
        if component.name not in wanted or component.name in loaded:
            continue
        directory = directory_of(bundle, component.name)
        if directory is not None:
            loaded[component.name] = component.load(directory, loaded)
        elif component.name == "reader":
            loaded["reader"] = spec("reader").load(None, loaded)
    return loaded


def load_available(bundle: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Every component of the bundle this code can read, and why each other one is not
    there: saved in a format of an earlier release, or built on one that is."""
    loaded: dict[str, Any] = {}
    unavailable: dict[str, str] = {}
    for component in COMPONENTS:
        missing = [name for name in component.depends_on if name in unavailable]
        if missing:
            unavailable[component.name] = f"built on {', '.join(missing)}, which is unavailable"
            continue
        try:
            loaded |= load_components(bundle, [component.name], loaded)
        except OutdatedComponentError as error:
            unavailable[component.name] = str(error)
    return loaded, unavailable


def load_component(bundle: Path, name: str) -> Any:
    """One component of the bundle, loaded on top of its foundations."""
    loaded = load_components(bundle, [name])
    if name not in loaded:
        raise ValueError(f"bundle {bundle.name} has no {name} component")
    return loaded[name]


def fingerprint(directory: Path) -> str:
    """A digest of every file a component saved, by its path within the directory."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]
