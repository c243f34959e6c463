from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from service.deps import LiveDep, StoreDep, require_api_key
from service.schemas import Health, Readiness, VersionInfo, problem_responses

router = APIRouter(tags=["operations"])
# Endpoints that only read memory are coroutines; FastAPI runs plain functions in its thread
# pool (a thread hop per request), which /ready and /metrics need for their database query.
protected = APIRouter(tags=["operations"], dependencies=[Depends(require_api_key)])


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
async def health() -> Health:
    return Health(status="ok")


@protected.get("/ready", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "Not ready"},
                       **problem_responses(401)},
            summary="Readiness: models loaded and the feedback store reachable")
def ready(live: LiveDep, store: StoreDep) -> JSONResponse:
    bundle, reachable = live.current, store.reachable()
    body = Readiness(ready=bundle is not None and reachable,
                     model_version=bundle.version if bundle else None,
                     feedback_store=reachable, reload_error=live.reload_error)
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)


@protected.get("/version", response_model=VersionInfo, responses=problem_responses(401),
               summary="The live bundle and its metrics")
async def version(live: LiveDep) -> VersionInfo:
    bundle = live.current
    if bundle is None:
        return VersionInfo(model_version=None, created_at=None, components=[], metrics={},
                           reload_error=live.reload_error)
    return VersionInfo(model_version=bundle.version,
                       created_at=bundle.manifest.created_at.isoformat(),
                       components=list(bundle.manifest.components),
                       metrics=_summary({name: record.metrics for name, record
                                         in bundle.manifest.components.items()}),
                       reload_error=live.reload_error)


def _summary(metrics: dict) -> dict:
    """Headline numbers only (no per-tag tables)."""
    return {name: {k: v for k, v in (values or {}).items() if k != "per_label"}
            if isinstance(values, dict) else values for name, values in metrics.items()}


@protected.get("/metrics", include_in_schema=False)
def metrics(request: Request, live: LiveDep, store: StoreDep) -> Response:
    bundle = live.current
    if bundle is not None:
        request.app.state.metrics.queue_depth.set(store.count_since(bundle.watermark))
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
