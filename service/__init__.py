"""The REST service and the runtime models it serves (NumPy and gensim only, no TensorFlow)."""
