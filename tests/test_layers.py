"""The layers point one way: pipelines (data in) <- runtime (the models) <- training and
service <- careerpath (the command line). A module never imports from a layer above its own,
nor from its sibling; the runtime and training never import the web framework, and the
runtime and service never import TensorFlow."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS = ("pipelines", "runtime", "training", "service", "careerpath")
FORBIDDEN: dict[str, set[str]] = {
    "pipelines": {"runtime", "training", "service", "careerpath", "fastapi", "starlette",
                  "tensorflow", "keras"},
    "runtime": {"training", "service", "careerpath", "fastapi", "starlette", "tensorflow",
                "keras", "torch"},
    "training": {"service", "careerpath", "fastapi", "starlette"},
    "service": {"training", "careerpath", "tensorflow", "keras", "torch"},
    "careerpath": set(),
}


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports, wherever in the module it imports them."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_no_module_imports_a_layer_above_its_own(layer):
    offenders = {str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[layer])
                 for path in (ROOT / layer).rglob("*.py")}
    assert {module: bad for module, bad in offenders.items() if bad} == {}


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from service.app import create_app\n    import keras.ops\n")
    assert imported_packages(module) == {"service", "keras"}


def test_the_serving_path_never_imports_training_libraries(sample_store):
    """TensorFlow, scikit-learn and NLTK are training-time only: the service starts without
    their import cost."""
    code = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from service.settings import ServiceSettings as Settings\n"
        "from service.app import create_app\n"
        f"s = Settings(model_dir={str(sample_store)!r}, feedback_url='sqlite://')\n"
        "with TestClient(create_app(s)) as c:\n"
        "    assert c.post('/tags', json={'description': 'Full-time nurse'}).status_code == 200\n"
        "    assert c.post('/recommend', json={'description': 'nurse'}).status_code == 200\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}\n"
        "             & {'tensorflow', 'keras', 'sklearn', 'nltk'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
