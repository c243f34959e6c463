"""The REST service: HTTP only, on top of the models' runtime (`runtime/`), which answers; no
TensorFlow, no training code."""
