"""Prometheus metrics of one service process (own registry: no global state)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ServiceMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("careerpath_requests_total", "Requests by endpoint and status",
                                ["endpoint", "method", "status"], registry=self.registry)
        self.latency = Histogram(
            "careerpath_request_seconds", "Request latency by endpoint", ["endpoint"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 5),
            registry=self.registry)
        self.model_info = Gauge("careerpath_model_info", "The live bundle (value 1)",
                                ["version"], registry=self.registry)
        self.queue_depth = Gauge("careerpath_feedback_queue_depth",
                                 "Feedback stored since the live bundle's watermark",
                                 registry=self.registry)
        self.reload_failures = Gauge("careerpath_bundle_reload_failing",
                                     "1 while the newest bundle fails to load",
                                     registry=self.registry)
