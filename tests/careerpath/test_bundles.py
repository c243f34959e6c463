
import pytest

from careerpath.bundles import BundleError, BundleStore, read_manifest, resolve_bundle


def _bundle(store: BundleStore, marker: str):
    staging = store.begin()
    (staging / "weights.txt").write_text(marker)
    return store.commit(staging, {"parameters": {"marker": marker}})


def test_commit_writes_manifest_and_promote_switches_the_pointer(tmp_path):
    store = BundleStore(tmp_path)
    assert store.live() is None
    first = _bundle(store, "a")
    manifest = read_manifest(first)
    assert manifest["version"] == first.name and manifest["parameters"] == {"marker": "a"}
    assert not list(tmp_path.glob(".staging-*"))
    store.promote(first)
    second = _bundle(store, "b")
    assert store.live() == first  # a committed bundle is not live until promoted
    store.promote(second)
    assert resolve_bundle(tmp_path) == second and resolve_bundle(first) == first
    assert not list(tmp_path.glob(".*.tmp"))


def test_prune_keeps_the_newest_and_the_live_one(tmp_path):
    store = BundleStore(tmp_path)
    bundles = [_bundle(store, str(n)) for n in range(4)]
    store.promote(bundles[0])
    removed = store.prune(keep=2)
    assert removed == [bundles[1]]
    assert store.versions() == [bundles[0], bundles[2], bundles[3]]


def test_resolve_rejects_a_plain_directory(tmp_path):
    with pytest.raises(BundleError):
        resolve_bundle(tmp_path)
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(BundleError):
        read_manifest(tmp_path)
