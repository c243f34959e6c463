"""`careerpath train`: fit the asked components and write them into one new live bundle. What
is built on a component trained here is refitted too, from the data and parameters its record
names; the rest is carried over from the live bundle."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from runtime.bundles import BundleStore, Manifest, read_manifest
from runtime.components import NAMES, dependents, load_components, present, spec
from training.bundle import Component, write_bundle
from training.inputs import TrainingInputs
from training.path import train as path_trainer
from training.reader import train as reader_trainer
from training.recommend import train as recommend_trainer
from training.skills import train as skills_trainer
from training.tags import train as tags_trainer

# each module: train_component(inputs, foundations) and recorded_inputs(record)
TRAINERS: dict[str, ModuleType] = {
    "reader": reader_trainer, "recommend": recommend_trainer, "tags": tags_trainer,
    "skills": skills_trainer, "path": path_trainer}


def train(store: Path, inputs: TrainingInputs) -> Path:
    """Fit `inputs.models` and write them into a new bundle of `store`, which goes live."""
    return write_bundle(BundleStore(store), fit_components(BundleStore(store).live(), inputs))


def fit_components(base: Path | None, inputs: TrainingInputs) -> list[Component]:
    """The asked components, then what is built on them in `base`, each fitted on top of its
    foundations: those fitted here, or `base`'s."""
    inputs.check()
    plan = {name: inputs for name in inputs.asked()}
    if base is not None:
        plan |= refit_plan(base, list(plan), inputs.seed)
    return _fit_in_order(plan, base, {})


def refit_dependents(base: Path, changed: dict[str, Any]) -> list[Component]:
    """`base`'s components built on the `changed` models (by name), refitted on them."""
    return _fit_in_order(refit_plan(base, list(changed)), base, dict(changed))


def _fit_in_order(plan: dict[str, TrainingInputs], base: Path | None,
                  fitted: dict[str, Any]) -> list[Component]:
    components = []
    for name in NAMES:
        if name in plan:
            component = TRAINERS[name].train_component(plan[name],
                                                        _foundations(name, base, fitted))
            fitted[name] = component.model
            components.append(component)
    return components


def refit_plan(base: Path, changed: list[str], seed: int | None = None,
               ) -> dict[str, TrainingInputs]:
    """How to refit each component of `base` built on one of `changed`: with the inputs its
    record names, checked before anything trains."""
    manifest = read_manifest(base)
    plan = {}
    for name in dependents(changed):
        if name not in present(base):
            continue
        refit = recorded_inputs(manifest, name)
        try:
            refit.check()
        except ValueError as error:
            raise ValueError(f"the {name} component is built on {' and '.join(changed)} and "
                             f"must be refitted, from what its record names: {error}; train "
                             f"it in the same run instead") from error
        plan[name] = refit if seed is None else replace(refit, seed=seed)
    return plan


def recorded_inputs(manifest: Manifest, name: str) -> TrainingInputs:
    """The inputs that fitted the component `name` of a bundle, from its record."""
    record = manifest.components.get(name)
    if record is None:
        raise ValueError(f"the bundle has no record of its {name} component")
    try:
        values = TRAINERS[name].recorded_inputs(record)
    except (KeyError, IndexError, TypeError) as error:
        raise ValueError(f"its record does not name its inputs ({error!r})") from error
    return TrainingInputs(models=(name,), **values)


def _foundations(name: str, base: Path | None, fitted: dict[str, Any]) -> dict[str, Any]:
    needed = spec(name).depends_on
    missing = [foundation for foundation in needed if foundation not in fitted]
    if missing and base is not None:
        fitted.update(load_components(base, missing, fitted))
    if "reader" in needed and "reader" not in fitted:
        raise ValueError(f"the {name} component needs a posting reader: train one in the "
                         "same run (`train all`) or have one in the live bundle")
    absent = [foundation for foundation in needed if foundation not in fitted]
    if absent:
        raise ValueError(f"the {name} component is built on {' and '.join(absent)}: train "
                         "them in the same run or have them in the live bundle")
    return {foundation: fitted[foundation] for foundation in needed}
