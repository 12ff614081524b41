#!/usr/bin/env python3
"""Writes small checkpoint fixtures for the Java checkpoint tests.

Usage: make_checkpoint_fixtures.py OUT_DIR MARKER_PATH

Everything is seeded, so runs are reproducible. expected.json records, for every good file, each
tensor's dtype, shape and values *after* the conversion the Java reader applies (float types to
float32, integers kept), flattened row-major, so Java can compare with exact equality.
MARKER_PATH is the file the malicious pickle would create if anything executed it.
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
import zipfile

import torch

out_dir, marker = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)
torch.manual_seed(1234)
expected = {}


def values(t):
    """Row-major values as the Java reader yields them."""
    if t.dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        return t.to(torch.float32).reshape(-1).tolist()
    return t.reshape(-1).tolist()


def java_dtype(t):
    return {torch.float16: "float32", torch.bfloat16: "float32", torch.float32: "float32",
            torch.float64: "float32", torch.int64: "int64", torch.int32: "int32"}[t.dtype]


def record(file_name, sd):
    expected[file_name] = collections.OrderedDict(
        (k, {"dtype": java_dtype(v), "shape": list(v.shape), "values": values(v)}) for k, v in sd.items())


def save(file_name, obj, sd=None):
    torch.save(obj, os.path.join(out_dir, file_name))
    if sd is not None:
        record(file_name, sd)


# 1. Every supported dtype, plus values that stress the conversions.
dtypes = collections.OrderedDict()
dtypes["f32"] = torch.randn(2, 3)
dtypes["f16"] = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, 1e-5, 0.333], dtype=torch.float16)
dtypes["bf16"] = torch.tensor([1.0, -3.140625, 1e30, 1e-30, 0.1], dtype=torch.bfloat16)
dtypes["f64"] = torch.randn(3, dtype=torch.float64) * 1e3
dtypes["i64"] = torch.tensor([[-(2 ** 40), 0, 7], [1, 2, 3]], dtype=torch.int64)
dtypes["i32"] = torch.arange(-3, 3, dtype=torch.int32)
dtypes["scalar"] = torch.tensor(2.5)
dtypes["empty"] = torch.zeros(0, 4)
save("dtypes.pth", dtypes, dtypes)

# 2. Views: non-contiguous transposes and tensors sharing one storage at offsets.
base = torch.randn(4, 5)
views = collections.OrderedDict()
views["base"] = base
views["transposed"] = base.t()
views["row_slice"] = base[1:3]
views["strided"] = base[1:4, ::2]
views["flat_window"] = base.view(-1)[7:13].view(2, 3)
views["column"] = base[:, 2]
save("views.pth", views, views)


# 3. A real nn.Module state dict (OrderedDict with _metadata, saved via BUILD).
class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.norm = torch.nn.LayerNorm(4)
        self.head = torch.nn.Linear(4, 2)
        self.register_buffer("index", torch.arange(6).view(2, 3))


module_sd = Tiny().state_dict()
save("module.pth", module_sd, module_sd)
# Same module, parameters saved as nn.Parameter (_rebuild_parameter), wrapped like a training script does.
params = collections.OrderedDict((k, torch.nn.Parameter(v.clone(), requires_grad=v.is_floating_point()))
                                 for k, v in module_sd.items())
save("wrapped.pth", {"epoch": 7, "optimizer": {"lr": 0.1, "betas": (0.9, 0.999)}, "note": b"raw\x00bytes",
                     "model": params, "big": 2 ** 70}, module_sd)
# Saved to a stream: the zip's top folder is then "archive".
buf = io.BytesIO()
torch.save(module_sd, buf)
with open(os.path.join(out_dir, "stream.pt"), "wb") as f:
    f.write(buf.getvalue())
record("stream.pt", module_sd)

# Many small tensors: the pickle memo passes 256 entries, so LONG_BINPUT / LONG_BINGET appear.
many = collections.OrderedDict(("blocks.%d.w" % i, torch.randn(2) * i) for i in range(120))
save("many.pth", many, many)

# 4. A non-finite tensor.
save("nonfinite.pth", collections.OrderedDict(ok=torch.ones(2), bad=torch.tensor([1.0, float("nan")]),
                                              worse=torch.tensor([float("inf")])))

# 5. Legacy (pre-1.6) format.
torch.save(module_sd, os.path.join(out_dir, "legacy.pth"), _use_new_zipfile_serialization=False)


# 6. Malicious pickle inside an otherwise valid torch zip.
class Evil:
    def __reduce__(self):
        return os.system, ("touch " + marker,)


with zipfile.ZipFile(os.path.join(out_dir, "malicious.pth"), "w", zipfile.ZIP_STORED) as z:
    z.writestr("malicious/data.pkl", pickle.dumps(collections.OrderedDict(w=Evil()), protocol=2))
    z.writestr("malicious/version", "3\n")


# 7. A storage entry shorter than its tensor needs: module.pth with one storage cut in half.
def rewrite(src, dst, change):
    with zipfile.ZipFile(os.path.join(out_dir, src)) as zin, \
            zipfile.ZipFile(os.path.join(out_dir, dst), "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            zout.writestr(info.filename.replace(src.split(".")[0] + "/", dst.split(".")[0] + "/", 1), data)


rewrite("module.pth", "short_storage.pth", lambda n, d: d[: len(d) // 2] if n.endswith("/data/0") else d)
# A pickle with no STOP.
rewrite("module.pth", "cut_pickle.pth", lambda n, d: d[: len(d) // 2] if n.endswith("data.pkl") else d)


# 8. safetensors, written by hand (the safetensors package is not needed).
def write_safetensors(file_name, tensors):
    codes = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
             torch.int64: "I64", torch.int32: "I32"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.uint8).numpy().tobytes() if t.numel() else b""
        if t.dtype == torch.bfloat16:  # numpy has no bfloat16: go through int16 bits
            raw = t.view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(os.path.join(out_dir, file_name), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    record(file_name, tensors)


st = collections.OrderedDict((k, v) for k, v in dtypes.items() if k != "scalar")
st["transposed_copy"] = base.t()
write_safetensors("tensors.safetensors", st)
# Same content with a misleading extension: format is chosen by content.
write_safetensors("tensors_named_like_torch.pth", st)

with open(os.path.join(out_dir, "expected.json"), "w") as f:
    json.dump(expected, f)
print("fixtures written to", out_dir)
