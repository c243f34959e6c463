import json

import pytest

from runtime.bundles import BundleError, BundleStore, ComponentRecord, read_manifest, resolve_bundle


def _bundle(store: BundleStore, marker: str):
    staging = store.begin()
    (staging / "weights.txt").write_text(marker)
    return store.commit(staging, {"model": ComponentRecord(parameters={"marker": marker})})


def test_commit_writes_manifest_and_promote_switches_the_pointer(tmp_path):
    store = BundleStore(tmp_path)
    assert store.live() is None
    first = _bundle(store, "a")
    manifest = read_manifest(first)
    assert manifest.version == first.name
    assert manifest.components["model"].parameters == {"marker": "a"}
    assert not list(tmp_path.glob(".staging-*"))
    store.promote(first)
    second = _bundle(store, "b")
    assert store.live() == first  # a committed bundle is not live until promoted
    store.promote(second)
    assert resolve_bundle(tmp_path) == second and resolve_bundle(first) == first
    assert not list(tmp_path.glob(".*.tmp"))


def test_every_promotion_can_be_rolled_back_in_turn(tmp_path):
    store = BundleStore(tmp_path)
    bundles = [_bundle(store, str(n)) for n in range(3)]
    for bundle in bundles:
        store.promote(bundle)
    assert store.rollback() == bundles[1] and store.live() == bundles[1]
    assert store.rollback() == bundles[0] and store.live() == bundles[0]
    with pytest.raises(BundleError, match="no promotion"):
        store.rollback()


def test_rollback_refuses_when_the_live_bundle_was_switched_by_hand(tmp_path):
    store = BundleStore(tmp_path)
    first, second, third = (_bundle(store, str(n)) for n in range(3))
    store.promote(first)
    store.promote(second)
    (tmp_path / "LIVE").write_text(third.name)
    with pytest.raises(BundleError, match="nothing to roll back safely"):
        store.rollback()
    assert store.live() == third


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


def test_manifests_of_the_first_layout_still_read(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({
        "version": "20261201T000000.000000Z-abcd", "created_at": "2026-12-01T00:00:00+00:00",
        "components": ["recommender", "tags"],
        "parameters": {"recommender": {"vector_size": 150}, "tags": {"test_fraction": 0.2}},
        "metrics": {"recommender": {"ndcg@10": 0.56}, "tags": None},
        "data": {"recommender": {"course_count": 3424}, "tags": {}},
        "feedback_watermark": None}))
    manifest = read_manifest(tmp_path)
    assert manifest.components["recommend"].metrics == {"ndcg@10": 0.56}  # today's name
    assert manifest.components["tags"].parameters == {"test_fraction": 0.2}
    assert manifest.components["tags"].metrics == {} and manifest.feedback_watermark == 0
