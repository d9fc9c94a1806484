"""Minimal safetensors reader/writer (the `safetensors` package is not always installed).

Format: 8-byte little-endian header length N, N bytes of JSON header {name: {dtype, shape, data_offsets}},
padded with spaces to a multiple of 8, then the raw little-endian tensor data.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
_NAMES = {np.dtype(v): k for k, v in _DTYPES.items()}


def save(tensors: dict[str, np.ndarray], path: Path, metadata: dict[str, str] | None = None):
    """Writes tensors in name order; metadata values must be strings."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        if a.dtype not in _NAMES:
            raise ValueError(f"tensor {name}: unsupported dtype {a.dtype}")
        data = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _NAMES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def load(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Reads every tensor; returns (tensors, metadata)."""
    return loads(Path(path).read_bytes(), str(path))


def loads(buf: bytes, path: str = "<bytes>") -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Parses a whole safetensors file held in memory."""
    if len(buf) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", buf[:8])
    if 8 + n > len(buf):
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, h in header.items():
        begin, end = h["data_offsets"]
        dt = np.dtype(_DTYPES[h["dtype"]]).newbyteorder("<")
        a = np.frombuffer(buf[base + begin:base + end], dtype=dt)
        out[name] = a.reshape(h["shape"]).astype(dt.newbyteorder("="))
    return out, meta
