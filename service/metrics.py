"""Prometheus metrics of the service (own registry: no global state).

With several worker processes, `careerpath serve` sets PROMETHEUS_MULTIPROC_DIR: every worker
then writes its values to files there, and whichever worker answers `/metrics` reports the
sum over all of them. Without it a scrape would see only the worker that accepted it, and
counters would jump back and forth between workers' totals."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


class ServiceMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("careerpath_requests_total", "Requests by endpoint and status",
                                ["endpoint", "method", "status"], registry=self.registry)
        self.latency = Histogram(
            "careerpath_request_seconds", "Request latency by endpoint", ["endpoint"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 5),
            registry=self.registry)
        # Across workers: 1 for every version some worker serves (during a reload, two).
        self.model_info = Gauge("careerpath_model_info", "The live bundle (1 while served)",
                                ["version"], multiprocess_mode="max", registry=self.registry)
        self.queue_depth = Gauge("careerpath_feedback_queue_depth",
                                 "Feedback stored since the live bundle's watermark",
                                 multiprocess_mode="mostrecent", registry=self.registry)
        self.feedback_store_up = Gauge("careerpath_feedback_store_up",
                                       "1 while the feedback store answers, 0 while it does not",
                                       multiprocess_mode="min", registry=self.registry)
        self.answer_lookups = Counter("careerpath_answer_cache_total",
                                      "Answers looked up, by where they were found",
                                      ["outcome"], registry=self.registry)
        self.recording_failures = Counter("careerpath_postings_not_recorded_total",
                                          "Postings /tags could not record (store down)",
                                          registry=self.registry)
        self.reload_failures = Gauge("careerpath_bundle_reload_failing",
                                     "1 while the newest bundle fails to load",
                                     multiprocess_mode="max", registry=self.registry)
        self._served: str | None = None

    def bundle_changed(self, version: str | None, reload_error: str | None) -> None:
        """Record the version this process serves (the one it served before drops to 0:
        multiprocess mode cannot remove a label) and whether the newest bundle fails."""
        if version != self._served:
            if self._served is not None:
                self.model_info.labels(version=self._served).set(0)
            if version is not None:
                self.model_info.labels(version=version).set(1)
            self._served = version
        self.reload_failures.set(1 if reload_error else 0)

    def exposition(self) -> bytes:
        """The text a scrape gets: this process's metrics, or every worker's."""
        if not os.environ.get(MULTIPROCESS_DIR):
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)
