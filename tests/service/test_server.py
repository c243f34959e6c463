import os
from pathlib import Path

from service.server import RATE_LIMIT_FILE, RELOAD_LOCK_FILE, instance_files, shared_metrics
from service.settings import ServiceSettings


def test_several_workers_share_a_metrics_directory_that_is_removed_after(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    with shared_metrics(workers=1):
        assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    with shared_metrics(workers=2):
        directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        assert directory.is_dir() and not any(directory.iterdir())
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    assert not directory.exists()


def test_a_configured_metrics_directory_starts_empty(monkeypatch, tmp_path):
    (tmp_path / "counter_123.db").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    with shared_metrics(workers=2):
        assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    assert tmp_path.is_dir()


def test_the_workers_of_one_instance_share_a_reload_lock_and_their_rate_limits(monkeypatch):
    for variable in (RATE_LIMIT_FILE, RELOAD_LOCK_FILE):
        monkeypatch.delenv(variable, raising=False)
    with instance_files(ServiceSettings(), workers=1):
        assert RELOAD_LOCK_FILE not in os.environ and RATE_LIMIT_FILE not in os.environ
    with instance_files(ServiceSettings(rate_limit="5/10"), workers=2):
        lock, buckets = Path(os.environ[RELOAD_LOCK_FILE]), Path(os.environ[RATE_LIMIT_FILE])
        assert lock.parent == buckets.parent and lock.parent.is_dir()
        assert ServiceSettings().reload_lock_file == lock
    assert RELOAD_LOCK_FILE not in os.environ and not lock.parent.exists()
