import os
import subprocess
import sys
from pathlib import Path

import pytest

from careerpath.cli import RATE_LIMIT_FILE, RELOAD_LOCK_FILE, instance_files, main, shared_metrics
from runtime.settings import Settings


def test_cli_starts_without_heavy_libraries():
    code = (
        "import sys, careerpath.cli as c; c.build_parser();"
        "heavy = {'tensorflow', 'gensim', 'numpy', 'sklearn', 'fastapi'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_bad_input_file_is_a_clear_error(tmp_path, capsys):
    assert main(["import", "courses", str(tmp_path / "missing.csv"), "--out", "x"]) == 2
    assert "missing.csv" in capsys.readouterr().err


def test_unknown_subcommand_exits_with_usage():
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_a_path_that_is_not_a_bundle_is_a_clear_error(tmp_path, capsys):
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text('{"description": "x"}\n')
    assert main(["predict", "tags", "--bundle", str(tmp_path), "--input", str(jobs)]) == 2
    assert "neither a bundle nor a store" in capsys.readouterr().err


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
    with instance_files(Settings(), workers=1):
        assert RELOAD_LOCK_FILE not in os.environ and RATE_LIMIT_FILE not in os.environ
    with instance_files(Settings(rate_limit="5/10"), workers=2):
        lock, buckets = Path(os.environ[RELOAD_LOCK_FILE]), Path(os.environ[RATE_LIMIT_FILE])
        assert lock.parent == buckets.parent and lock.parent.is_dir()
        assert Settings().reload_lock_file == lock
    assert RELOAD_LOCK_FILE not in os.environ and not lock.parent.exists()
