"""The FastAPI application: stateless apart from the read-only live bundle and the feedback
store, so any number of workers and replicas can run side by side."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from pipelines.feedback import FeedbackStore
from runtime import __version__
from runtime.language import LanguageGuard
from runtime.settings import Settings
from service.deps import require_api_key
from service.errors import install_error_handlers
from service.live import LiveModels
from service.metrics import ServiceMetrics
from service.middleware import RequestContextMiddleware
from service.routes import feedback, operations, recommend, tags
from service.scheduler import Inference

DESCRIPTION = """Course recommendations and tags for job postings.

* `POST /recommend`: the online courses most worth taking for a job, ranked, with reasons.
* `POST /tags`: the posting's tags (experience, degree, schedule, pay type, ...).
* `POST /feedback`: which courses helped and which tags were right; queued for retraining.

Errors are RFC 7807 problem documents (`application/problem+json`).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.feedback = FeedbackStore(settings.feedback_url)
        app.state.inference = Inference()
        app.state.live = LiveModels(settings.model_dir, settings.reload_interval_seconds,
                                    on_change=metrics.bundle_changed, language=LanguageGuard())
        app.state.live.start()
        try:
            yield
        finally:
            app.state.live.stop()
            app.state.feedback.close()

    app = FastAPIOffline(title="careerpath", version=__version__, description=DESCRIPTION,
                         lifespan=lifespan)
    app.state.settings = settings
    app.state.metrics = metrics
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, metrics=metrics,
                       max_body_bytes=settings.max_body_bytes)
    app.include_router(operations.router)
    app.include_router(operations.protected)
    for router in (recommend.router, tags.router, feedback.router):
        app.include_router(router, dependencies=[Depends(require_api_key)])
    return app
