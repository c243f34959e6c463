"""Data in: canonical records, catalog and job importers, the Coursera API client and the
shared text processing."""
