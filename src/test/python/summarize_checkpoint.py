#!/usr/bin/env python3
"""Writes a JSON summary of a checkpoint's state dict, for CheckpointExternalFileTest.

Usage: summarize_checkpoint.py CHECKPOINT OUT_JSON

For each tensor: dtype after the Java reader's conversion, shape, the float64 sum of its values
(as float32), and its first few values. Applies the same wrapper rule as the Java reader for the
common keys ("state_dict", "model").
"""
import json
import sys

import torch

ckpt = torch.load(sys.argv[1], map_location="cpu")
if isinstance(ckpt, dict) and not all(torch.is_tensor(v) for v in ckpt.values()):
    for key in ("state_dict", "model", "model_state_dict", "module", "net", "params_ema", "params", "weights"):
        if isinstance(ckpt.get(key), dict):
            ckpt = ckpt[key]
            break
summary = {}
for name, t in ckpt.items():
    t = t.detach()
    floating = t.is_floating_point()
    v = t.to(torch.float32) if floating else t
    summary[name] = {
        "dtype": "float32" if floating else str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "sum": float(v.to(torch.float64).sum()),
        "first": v.reshape(-1)[:8].tolist(),
    }
with open(sys.argv[2], "w") as f:
    json.dump(summary, f)
print(len(summary), "tensors summarised")
