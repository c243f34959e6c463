"""Fit and evaluate the posting reader (`runtime/reader`)."""
