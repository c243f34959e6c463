"""What makes gensim's training repeat: its models seed each word's first vector with the
hash function they are given, and Python's own `hash` is salted per process."""

from __future__ import annotations

import zlib


def stable_hash(text: str) -> int:
    """The same number for the same word in every process (gensim's `hashfxn`)."""
    return zlib.crc32(text.encode())
