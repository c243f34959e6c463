from service.metrics import ServiceMetrics


def _value(metrics: ServiceMetrics, name: str, labels: dict | None = None) -> float | None:
    return metrics.registry.get_sample_value(name, labels or {})


def test_a_new_version_replaces_the_old_and_a_failing_reload_shows():
    metrics = ServiceMetrics()
    metrics.bundle_changed("v1", None)
    metrics.bundle_changed("v2", None)
    assert _value(metrics, "careerpath_model_info", {"version": "v1"}) == 0
    assert _value(metrics, "careerpath_model_info", {"version": "v2"}) == 1
    assert _value(metrics, "careerpath_bundle_reload_failing") == 0
    metrics.bundle_changed("v2", "v3: the tag model is missing")
    assert _value(metrics, "careerpath_model_info", {"version": "v2"}) == 1
    assert _value(metrics, "careerpath_bundle_reload_failing") == 1
    assert b'careerpath_model_info{version="v2"} 1.0' in metrics.exposition()
