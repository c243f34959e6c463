"""The component registry: one name per model, what each is built on, and bundles of earlier
releases, which named some components otherwise and had no reader of their own."""

from __future__ import annotations

import shutil

from runtime.bundles import BundleStore, read_manifest, stale_components
from runtime.components import (
    NAMES,
    dependents,
    directory_of,
    fingerprint,
    load_component,
    load_components,
)
from runtime.loaded import load_bundle


def test_every_component_comes_after_what_it_is_built_on():
    from runtime.components import COMPONENTS

    seen: set[str] = set()
    for component in COMPONENTS:
        assert set(component.depends_on) <= seen, component.name
        seen.add(component.name)
    assert NAMES == ("reader", "recommend", "tags", "skills", "path")


def test_what_is_built_on_a_component_directly_or_not():
    assert dependents(["reader"]) == ["recommend", "tags", "skills", "path"]
    assert dependents(["recommend"]) == ["path"]
    assert dependents(["skills"]) == ["path"]
    assert dependents(["tags"]) == dependents(["path"]) == []


def test_a_written_bundle_records_what_each_component_was_built_on(sample_store):
    bundle = BundleStore(sample_store).live()
    manifest = read_manifest(bundle)
    assert list(manifest.components) == list(NAMES)
    for name, record in manifest.components.items():
        assert record.fingerprint == fingerprint(bundle / name)
    assert manifest.components["path"].built_on == {
        name: manifest.components[name].fingerprint for name in ("recommend", "skills")}
    assert stale_components(manifest) == {}
    changed = manifest.model_copy(deep=True)
    changed.components["recommend"].fingerprint = "another"
    assert stale_components(changed) == {"path": ["recommend"]}


def test_a_bundle_of_an_earlier_release_still_loads(sample_store, tmp_path, reader):
    """Earlier releases saved the recommender as `recommender/` and the path planner as
    `paths/`, and read postings with the reader that shipped beside the code."""
    live = BundleStore(sample_store).live()
    old = tmp_path / "20261201T000000.000000Z-0001"
    shutil.copytree(live, old)
    shutil.rmtree(old / "reader")
    (old / "recommend").rename(old / "recommender")
    (old / "path").rename(old / "paths")
    text = (old / "manifest.json").read_text()
    text = text.replace('"recommend":', '"recommender":').replace('"path":', '"paths":')
    (old / "manifest.json").write_text(text)
    assert directory_of(old, "recommend") == old / "recommender"
    assert set(read_manifest(old).components) >= {"recommend", "path"}
    loaded = load_bundle(old)
    assert loaded.reader.version == reader.version  # the sample models were trained with it
    assert loaded.recommender is not None and loaded.planner is not None
    again = load_bundle(live)
    posting = ("Staff Accountant", "Reconcile bank accounts and prepare financial statements.")
    assert [r.course.id for r in loaded.recommender.recommend(*posting)] == [
        r.course.id for r in again.recommender.recommend(*posting)]


def test_one_component_loads_with_what_it_reads_with(sample_store):
    bundle = BundleStore(sample_store).live()
    tags = load_component(bundle, "tags")
    assert tags.featurizer.reader is not None
    models = load_components(bundle, ["tags"])
    assert set(models) == {"reader", "tags"}
