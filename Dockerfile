# syntax=docker/dockerfile:1
# Targets: `api` (the service only, no TensorFlow) and `trainer` (train / retrain / evaluate).
FROM python:3.11-slim AS deps
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Dependencies before sources, so a source change reuses this layer: install the project's
# pinned requirements (pyproject.toml) over empty packages, then drop the stub itself.
COPY pyproject.toml README.md ./
RUN mkdir -p careerpath runtime service training pipelines \
    && touch careerpath/__init__.py runtime/__init__.py service/__init__.py \
       training/__init__.py pipelines/__init__.py \
    && pip install . && pip uninstall -y careerpath \
    && useradd --create-home --uid 10001 careerpath \
    && mkdir -p /models && chown 10001 /models

FROM deps AS train-deps
# hadolint ignore=DL3013
RUN pip install '.[train]' && pip uninstall -y careerpath

FROM deps AS api
COPY careerpath careerpath
COPY runtime runtime
COPY service service
COPY pipelines pipelines
COPY training training
RUN pip install --no-deps .
USER 10001
ENV CAREERPATH_MODEL_DIR=/models CAREERPATH_WORKERS=2 \
    CAREERPATH_FEEDBACK_URL=sqlite:////tmp/feedback.db
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["careerpath", "serve", "--host", "0.0.0.0", "--port", "8000"]

FROM train-deps AS trainer
COPY careerpath careerpath
COPY runtime runtime
COPY service service
COPY pipelines pipelines
COPY training training
COPY data/sample data/sample
RUN pip install --no-deps .
USER 10001
ENV CAREERPATH_MODEL_DIR=/models
ENTRYPOINT ["careerpath"]
CMD ["--help"]
