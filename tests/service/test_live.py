import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from service import live
from service.live import LiveModels

pytestmark = pytest.mark.timing  # clock-dependent: `make test` runs it twice


@pytest.fixture
def slow_loads(monkeypatch):
    """load_bundle replaced by a slow fake that records how many loads overlap."""
    state = {"running": 0, "most": 0}
    guard = threading.Lock()

    def load(target, language):
        with guard:
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
        time.sleep(0.3)
        with guard:
            state["running"] -= 1
        return SimpleNamespace(path=target, version=target.name)

    monkeypatch.setattr(live, "load_bundle", load)
    monkeypatch.setattr(LiveModels, "_target", lambda self: Path("new-bundle"))
    return state


def _reload_in_two_workers(lock: Path | None) -> list[LiveModels]:
    workers = [LiveModels(Path("store"), reload_lock=lock) for _ in range(2)]
    for worker in workers:
        worker.current = SimpleNamespace(path=Path("old-bundle"), version="old")  # type: ignore[assignment]
    threads = [threading.Thread(target=worker.refresh) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return workers


def test_workers_sharing_a_reload_lock_load_a_new_bundle_one_at_a_time(slow_loads, tmp_path):
    workers = _reload_in_two_workers(tmp_path / "reload.lock")
    assert slow_loads["most"] == 1
    assert [w.current.version for w in workers] == ["new-bundle", "new-bundle"]


def test_without_the_lock_they_load_at_once(slow_loads):
    _reload_in_two_workers(None)
    assert slow_loads["most"] == 2
