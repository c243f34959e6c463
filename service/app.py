"""The FastAPI application: stateless apart from the read-only live bundle and the feedback
store, so any number of workers and replicas can run side by side."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi_offline import FastAPIOffline

from pipelines.feedback import FeedbackStore
from runtime import __version__
from runtime.language import LanguageGuard
from service.answers import Answers, answer_cache
from service.deps import enforce_rate_limit, key_client, require_api_key
from service.errors import install_error_handlers
from service.live import LiveModels
from service.metrics import ServiceMetrics
from service.middleware import RequestContextMiddleware
from service.ratelimit import Limit, RateLimiter, SharedRateLimiter
from service.routes import courses, feedback, operations, paths, recommend, skills, tags
from service.scheduler import Inference
from service.settings import ServiceSettings

DESCRIPTION = """Course recommendations and tags for job postings.

* `POST /recommend`: the online courses most worth taking for a job, ranked, with reasons.
* `POST /tags`: the posting's tags (experience, degree, schedule, pay type, ...).
* `POST /skills`: the ESCO skills the posting asks for, with the sentence each was found in.
* `POST /path`: the few courses that together cover the job's skills, or an honest "nothing
  fits".
* `POST /feedback`: which courses helped and which tags were right; queued for retraining.

Errors are RFC 7807 problem documents (`application/problem+json`).
"""


GZIP_ABOVE_BYTES = 1400  # an answer that fits one packet gains nothing from compression
CORS_REQUEST_HEADERS = ["Content-Type", "X-API-Key", "Idempotency-Key", "X-Request-ID"]
CORS_RESPONSE_HEADERS = ["X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
                         "RateLimit-Reset", "RateLimit-Policy", "X-Careerpath-Ignored-Fields"]


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings()
    metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.feedback = FeedbackStore(settings.feedback_url)
        app.state.answers = Answers(Inference(), answer_cache(
            settings.answer_cache_bytes, settings.redis_url,
            on_lookup=lambda outcome: metrics.answer_lookups.labels(outcome).inc()))
        app.state.live = LiveModels(settings.model_dir, settings.reload_interval_seconds,
                                    on_change=metrics.bundle_changed, language=LanguageGuard(),
                                    reload_lock=settings.reload_lock_file)
        app.state.live.start()
        try:
            yield
        finally:
            app.state.live.stop()
            app.state.feedback.close()
            await app.state.answers.cache.close()

    app = FastAPIOffline(title="careerpath", version=__version__, description=DESCRIPTION,
                         lifespan=lifespan)
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.limiter = rate_limiter(settings)
    install_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_ABOVE_BYTES)
    app.add_middleware(RequestContextMiddleware, metrics=metrics,
                       max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:  # outermost: a preflight is answered before anything else
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=CORS_REQUEST_HEADERS,
                           expose_headers=CORS_RESPONSE_HEADERS, max_age=600)
    app.include_router(operations.router)
    app.include_router(operations.protected)
    for router in (recommend.router, tags.router, skills.router, paths.router, courses.router,
                   feedback.router):
        app.include_router(router, dependencies=[Depends(require_api_key),
                                                 Depends(enforce_rate_limit)])
    if not settings.api_keys:
        app.openapi = without_security(app)  # type: ignore[method-assign]
    return app


def without_security(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI schema of a service that asks for no API key: the key scheme the routes
    declare is dropped, so that clients and schema checkers are not told to send one."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schema.get("components", {}).pop("securitySchemes", None)
            for operations in schema["paths"].values():
                for operation in operations.values():
                    operation.pop("security", None)
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def rate_limiter(settings: ServiceSettings) -> RateLimiter | SharedRateLimiter | None:
    """The limits, when configured: counted in Redis when it is, else in the instance's token
    buckets."""
    if settings.rate_limit is None:
        return None
    default = Limit.parse(settings.rate_limit)
    limits = {key_client(key): Limit.parse(limit) for key, limit in settings.rate_limits.items()}
    if settings.redis_url:
        return SharedRateLimiter(settings.redis_url, default, limits)
    path = settings.rate_limit_file or Path(tempfile.mkdtemp(prefix="careerpath-")) / "rate.db"
    return RateLimiter(path, default, limits)
