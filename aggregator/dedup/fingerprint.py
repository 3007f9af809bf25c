"""Body fingerprints: an exact content hash and a MinHash signature for near-duplicates.

`content_hash` ignores case, punctuation and whitespace, so the same article stored
twice with different typography hashes the same.  `minhash_signature` works on word
shingles of the normalised body; its 128 values (uint32) are kept as 512 little-endian
bytes so they can live in a BLOB/BYTEA column and be compared without datasketch.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

__all__ = [
    "NUM_PERM",
    "SHINGLE_WORDS",
    "Signature",
    "band_keys",
    "content_hash",
    "estimate_jaccard",
    "minhash_signature",
    "normalize_body",
    "shingles",
]

NUM_PERM = 128
SHINGLE_WORDS = 4
_MIN_WORDS = 8  # below this a body says too little to call anything a copy of it
_MAX_CHARS = 200_000  # a runaway page (a whole archive in one body) costs bounded time
_SEED = 1  # fixed: signatures are stored and compared across processes and runs
_SCHEME = "affine32"  # pinned: stored signatures must not change with datasketch's default
_DTYPE = np.dtype("<u4")
_NON_WORD = re.compile(r"[^\w]+|_+")


@dataclass(frozen=True, slots=True)
class Signature:
    """A stored MinHash: packed hash values and the number of distinct shingles."""

    values: bytes
    size: int


def normalize_body(body: str) -> str:
    """Return the body as lower-case words separated by single spaces (NFKC, no punctuation)."""
    if not isinstance(body, str):
        raise TypeError(f"body must be str, got {type(body).__name__}")
    text = unicodedata.normalize("NFKC", body).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def content_hash(body: str) -> str:
    """Hex digest of the normalised body (32 chars); equal for typography-only changes."""
    digest = hashlib.blake2b(normalize_body(body).encode("utf-8"), digest_size=16)
    return digest.hexdigest()


def shingles(body: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    """Distinct k-word shingles of the normalised body, UTF-8 encoded."""
    return _word_shingles(normalize_body(body).split(), k)


def _word_shingles(words: list[str], k: int) -> set[bytes]:
    """Distinct k-word shingles of a word list."""
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def minhash_signature(body: str | None, *, num_perm: int = NUM_PERM) -> Signature | None:
    """MinHash of the body's word shingles, or None when the body is too short to compare."""
    words = normalize_body(body[:_MAX_CHARS]).split() if body else []
    if len(words) < _MIN_WORDS:
        return None
    grams = _word_shingles(words, SHINGLE_WORDS)
    sketch = MinHash(num_perm=num_perm, seed=_SEED, permutations=_permutations(num_perm),
                     scheme=_SCHEME)
    sketch.update_batch(list(grams))
    return Signature(values=sketch.hashvalues.astype(_DTYPE).tobytes(), size=len(grams))


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The seeded permutation parameters; datasketch would redo them for every MinHash."""
    perms: tuple[np.ndarray, np.ndarray] = MinHash(
        num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations
    return perms


def estimate_jaccard(a: bytes, b: bytes) -> float:
    """Share of equal MinHash positions: an unbiased estimate of the shingle Jaccard."""
    va, vb = np.frombuffer(a, dtype=_DTYPE), np.frombuffer(b, dtype=_DTYPE)
    if va.shape != vb.shape or va.size == 0:
        raise ValueError("signatures have different lengths")
    return float(np.count_nonzero(va == vb)) / va.size


def band_keys(values: bytes, *, bands: int, rows: int) -> list[int]:
    """One signed 64-bit key per LSH band (fits a BIGINT column)."""
    width = rows * _DTYPE.itemsize
    if len(values) < bands * width:
        raise ValueError(f"signature too short for {bands} bands of {rows} rows")
    keys = []
    for band in range(bands):
        chunk = values[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8, person=b"lsh-band").digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
