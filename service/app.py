"""The FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI

from careerpath import __version__


def create_app() -> FastAPI:
    app = FastAPI(title="careerpath", version=__version__)

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    return app
