"""The models at run time, below both training and the web service: one package per
component (`reader`, `recommend`, `tags`, `skills`, `path`) and the registry that names them
(`components.py`), the bundle store, the loaded bundle that answers postings, the shared
settings, the language check and the domain errors. Nothing here imports FastAPI or
TensorFlow."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("careerpath")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0"
