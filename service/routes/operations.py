from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from pipelines.feedback import StoreUnavailableError
from runtime.loaded import LoadedBundle
from service.deps import LiveDep, StoreDep, require_api_key
from service.schemas import Catalog, Health, Readiness, VersionInfo, problem_responses

router = APIRouter(tags=["operations"])
# Endpoints that only read memory are coroutines; FastAPI runs plain functions in its thread
# pool (a thread hop per request), which /ready and /metrics need for their database query.
protected = APIRouter(tags=["operations"], dependencies=[Depends(require_api_key)])


@router.api_route("/health", methods=["GET", "HEAD"], response_model=Health,
                  summary="Liveness: the process answers")
async def health() -> Health:
    return Health(status="ok")


@protected.api_route("/ready", methods=["GET", "HEAD"], response_model=Readiness,
            responses={503: {"model": Readiness, "description": "Not ready"},
                       **problem_responses(401)},
            summary="Readiness: models loaded (and whether the feedback store is reachable)",
            description="200 once models are loaded: the read endpoints never need the "
                        "feedback store, so its outage is reported under `degraded` rather "
                        "than taking the instance out of service.")
def ready(request: Request, live: LiveDep, store: StoreDep) -> JSONResponse:
    bundle, reachable = live.current, store.reachable()
    request.app.state.metrics.feedback_store_up.set(int(reachable))
    body = Readiness(ready=bundle is not None, model_version=bundle.version if bundle else None,
                     feedback_store=reachable,
                     degraded=[] if reachable else ["feedback_store"],
                     reload_error=live.reload_error)
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)


@protected.api_route("/version", methods=["GET", "HEAD"], response_model=VersionInfo,
                     responses=problem_responses(401),
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
                       catalog=_catalog(bundle), reload_error=live.reload_error)


def _catalog(bundle: LoadedBundle) -> Catalog | None:
    if bundle.recommender is None:
        return None
    record = bundle.manifest.components.get("recommend")
    courses = record.data.get("courses") if record else None
    return Catalog(courses=len(bundle.recommender.courses),
                   sha256=courses.get("sha256") if isinstance(courses, dict) else None)


def _summary(metrics: dict) -> dict:
    """Headline numbers only (no per-tag tables)."""
    return {name: {k: v for k, v in (values or {}).items() if k != "per_label"}
            if isinstance(values, dict) else values for name, values in metrics.items()}


@protected.api_route("/metrics", methods=["GET", "HEAD"], include_in_schema=False)
def metrics(request: Request, live: LiveDep, store: StoreDep) -> Response:
    bundle, metrics = live.current, request.app.state.metrics
    try:
        if bundle is not None:
            metrics.queue_depth.set(store.count_since(bundle.watermark))
        metrics.feedback_store_up.set(1)
    except StoreUnavailableError:
        metrics.feedback_store_up.set(0)
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
