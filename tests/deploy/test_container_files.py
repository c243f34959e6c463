"""What can be proved about the containers without a Docker engine: the Dockerfile lints clean,
the YAML lints clean, the Kubernetes manifests and the Compose file validate against their
schemas (offline), and the api image's install and start steps give a healthy service."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_dockerfile_lints_clean():
    result = _run(str(BIN / "hadolint"), "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def test_yaml_lints_clean():
    result = _run(sys.executable, "-m", "yamllint", "--strict", "docker-compose.yml",
                  "deploy/k8s", ".yamllint")
    assert result.returncode == 0, result.stdout


def test_kubernetes_manifests_validate_against_their_schemas():
    manifests = sorted(str(p) for p in (ROOT / "deploy" / "k8s").glob("*.yaml"))
    assert len(manifests) == 7
    result = _run(str(BIN / "kubernetes-validate"), "--strict", *manifests)
    assert result.returncode == 0, result.stdout + result.stderr
    deployment = (ROOT / "deploy" / "k8s" / "deployment.yaml").read_text()
    assert "/ready" in deployment and "path: /health" in deployment


def test_compose_file_follows_the_compose_specification():
    result = _run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                  "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    targets = set(re.findall(r"^FROM \S+ AS (\S+)$", (ROOT / "Dockerfile").read_text(), re.M))
    compose = (ROOT / "docker-compose.yml").read_text()
    assert set(re.findall(r"target: (\w+)", compose)) <= targets


def _api_command() -> list[str]:
    """The api stage's CMD, as the image would run it."""
    stage = (ROOT / "Dockerfile").read_text().split("AS api")[1].split("\nFROM ")[0]
    command = re.search(r"^CMD (\[.*\])$", stage, re.M)
    assert command, "the api stage has no CMD in exec form"
    return json.loads(command.group(1))


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_api_image_steps_install_and_serve_without_tensorflow(sample_store, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import tensorflow"],
                           capture_output=True)
    assert probe.returncode != 0, "the api install must not bring TensorFlow"
    size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file()) / 2**20
    print(f"api install: {size:.0f} MB")
    assert size < 700

    command = _api_command()
    port = _port()
    command[command.index("--port") + 1] = str(port)
    command[command.index("--host") + 1] = "127.0.0.1"
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
           "CAREERPATH_MODEL_DIR": str(sample_store),
           "CAREERPATH_FEEDBACK_URL": f"sqlite:///{tmp_path / 'feedback.db'}"}
    server = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        # generous: a fresh venv compiles every module on first import, slowly on a busy runner
        deadline = time.monotonic() + 180
        last = "no answer"
        while time.monotonic() < deadline:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2)
                if ready.status_code == 200:
                    break
                last = ready.text
            except httpx.TransportError as error:
                last = repr(error)
            if server.poll() is not None:
                pytest.fail(server.stderr.read().decode()[-2000:])
            time.sleep(0.5)
        else:
            server.terminate()
            pytest.fail(f"never ready; last /ready: {last}; "
                        f"stderr: {server.communicate(timeout=10)[1].decode()[-2000:]}")
        tags = httpx.post(f"http://127.0.0.1:{port}/tags", json={"description": "Full-time"})
        assert tags.status_code == 200
    finally:
        server.terminate()
        server.wait(10)
