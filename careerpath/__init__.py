"""careerpath: course recommendations and tags for job postings."""

__version__ = "0.1.0"
