import subprocess
import sys

import pytest

from careerpath.cli import main


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
    assert main(["predict", "tags", "--store", str(tmp_path), "--input", str(jobs)]) == 2
    assert "neither a bundle nor a store" in capsys.readouterr().err
