"""The live models: the bundle named by the store's LIVE pointer, loaded, checked and swapped
in atomically when the pointer changes. Requests hold a reference to the bundle they started
with, so a swap never changes a request in flight."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from runtime.bundles import BundleStore, resolve_bundle
from runtime.language import LanguageGuard
from runtime.loaded import LoadedBundle, load_bundle

log = logging.getLogger("careerpath.service")


class LiveModels:
    """`on_change(version, reload_error)` is called after every refresh that loaded a bundle
    or failed to. With a `reload_lock` file shared by the workers of one instance, they load a
    new bundle one at a time: loading holds a worker's interpreter for about a second, and
    while one loads the others serve at full speed."""

    def __init__(self, source: Path, interval_seconds: float = 2.0,
                 on_change: Callable[[str | None, str | None], None] | None = None,
                 language: LanguageGuard | None = None,
                 reload_lock: Path | None = None) -> None:
        self.source = Path(source)  # a store with a LIVE pointer, or one bundle
        self.reload_lock = reload_lock
        self.language = language or LanguageGuard()
        self.on_change = on_change
        self.interval_seconds = interval_seconds
        self.current: LoadedBundle | None = None
        self.reload_error: str | None = None
        self._failed_path: Path | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _target(self) -> Path | None:
        try:
            return resolve_bundle(self.source)
        except Exception:  # noqa: BLE001 - no pointer yet is not an error
            return BundleStore(self.source).live()

    def refresh(self) -> bool:
        """Load the pointed-to bundle if it is new; True when a new version was swapped in."""
        with self._lock:
            target = self._target()
            if target is None or target == self._failed_path:
                return False
            if self.current is not None and self.current.path == target:
                return False
            try:
                loaded = self._load(target)
            except Exception as error:  # noqa: BLE001 - keep serving the old bundle
                self._failed_path = target
                # the log has the server's paths; what /ready shows names the bundle only
                self.reload_error = f"{target.name}: " + str(error).replace(
                    str(target.parent) + "/", "")
                log.error("bundle failed to load; still serving the previous one",
                          extra={"bundle": str(target), "error": str(error)})
                self._changed()
                return False
            previous = self.current.version if self.current else None
            self.current = loaded
            self.reload_error, self._failed_path = None, None
            log.info("bundle loaded", extra={"version": loaded.version, "previous": previous})
            self._changed()
            return True

    def _load(self, target: Path) -> LoadedBundle:
        if self.reload_lock is None or self.current is None:  # starting: no one is serving
            return load_bundle(target, self.language)
        with self.reload_lock.open("a") as turn:
            fcntl.flock(turn, fcntl.LOCK_EX)  # released when the file closes
            return load_bundle(target, self.language)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self.current.version if self.current else None, self.reload_error)

    def start(self) -> None:
        self.refresh()
        self._thread = threading.Thread(target=self._watch, name="bundle-watcher", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        release_pending = False
        while not self._stop.wait(self.interval_seconds):
            swapped = self.refresh()
            if release_pending and not swapped:  # a tick later: requests on the old are done
                release_memory()
            release_pending = swapped

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)


def release_memory() -> None:
    """Give a replaced bundle's memory back to the system. Its objects are freed, but glibc
    keeps the freed heap pages until `malloc_trim` (docs/experiments.md, "Reliability under
    load and faults")."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)
