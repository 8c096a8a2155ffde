"""The one hash of the build's state: every cache key, stamp and fingerprint a build keeps
in `.almanac-build/` is a 128-bit BLAKE2b digest made here, so a stamp and the memo it
vouches for can never disagree on how content is digested.

What the site publishes is not build state and keeps its own digests: a title id
(models.title_id) is part of the archive, and the search catalog's version (render/
catalog.py) is part of the published files; changing either would change them.
"""

from __future__ import annotations

import hashlib

SIZE = 16  # bytes: collisions among a build's few hundred thousand keys are out of reach


def hasher(data: bytes = b"") -> hashlib.blake2b:
    """A new digest to feed piece by piece (`update`), starting with `data`."""
    return hashlib.blake2b(data, digest_size=SIZE)


def digest(data: bytes | str) -> str:
    """The hex digest of `data` (text is taken as UTF-8, lone surrogates included)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hasher(data).hexdigest()
