# syntax=docker/dockerfile:1
# Targets: `api` (the service only, no TensorFlow) and `trainer` (train / evaluate).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Dependencies first (cached while only the source changes): install the project's
# requirements from pyproject.toml with empty packages, then drop the stub install.
COPY pyproject.toml README.md ./
RUN mkdir -p careerpath service training pipelines \
    && touch careerpath/__init__.py service/__init__.py training/__init__.py \
       pipelines/__init__.py \
    && pip install . && pip uninstall -y careerpath

FROM base AS api
COPY careerpath careerpath
COPY service service
COPY pipelines pipelines
COPY training training
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 careerpath \
    && mkdir -p /models /app/var && chown careerpath /models /app/var
USER careerpath
ENV CAREERPATH_MODEL_DIR=/models CAREERPATH_WORKERS=2
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["careerpath", "serve", "--host", "0.0.0.0", "--port", "8000"]

FROM base AS trainer
COPY pyproject.toml README.md ./
RUN mkdir -p careerpath service training pipelines \
    && touch careerpath/__init__.py service/__init__.py training/__init__.py \
       pipelines/__init__.py \
    && pip install '.[train]' && pip uninstall -y careerpath
COPY careerpath careerpath
COPY service service
COPY pipelines pipelines
COPY training training
COPY data/sample data/sample
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 careerpath \
    && mkdir -p /models && chown careerpath /models
USER careerpath
ENV CAREERPATH_MODEL_DIR=/models
ENTRYPOINT ["careerpath"]
CMD ["--help"]
