#!/usr/bin/python3
"""Parity fixtures for the Java MobileSAM port (org.robustsam.studio.model.mobilesam).

Usage: make_mobilesam_fixtures.py OUT_DIR CONFIG [SHARED_DIR]
  CONFIG: mobile_sam (the only one: build_sam_vit_t, TinyViT-5M + SAM's prompt encoder and decoder)
  SHARED_DIR: the project's ../shared folder (default: $STUDIO_SHARED_DIR or ../shared).

Builds the reference MobileSAM from shared/reference/mobilesam with seeded random weights for every
state_dict entry (BatchNorm running statistics included, running_var kept positive), saves the
state_dict with torch.save (the format of the official mobile_sam.pt), runs the reference predictor
on a seeded image and a set of prompts, and writes inputs and outputs in the layout of
make_sam_fixtures.py (whose Writer and test image it reuses), plus the TinyViT stage outputs.

Also written, for the loading tests:
  mobile_sam_with_idxs.pt   the same weights plus every attention's attention_bias_idxs buffer, as a
                            checkpoint saved with that buffer persistent would carry it
  mobile_sam_bad_idxs.pt    the same with one index changed
  sam_vit_b_shared.pth      a SAM ViT-B state_dict in the official layout (every key and shape), all
                            tensors views of one small shared storage so the file stays ~7 MB

The reference TinyViT imports three helpers from timm (DropPath, to_2tuple, trunc_normal_) and
timm's register_model; timm is not installed, so a small stand-in package is written next to the
fixtures and put first on sys.path (DropPath is the identity: drop_path_rate is 0 in build_sam_vit_t).
"""

import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_sam_fixtures import UNIT_NORMAL, Writer, make_image  # noqa: E402

TIMM_STAND_IN = {
    "timm/__init__.py": '"""Stand-in for the three timm helpers MobileSAM\'s TinyViT imports."""\n',
    "timm/models/__init__.py": "",
    "timm/models/layers.py": '''
import torch
from torch import nn


def to_2tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x, x)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0):
    return nn.init.trunc_normal_(tensor, mean=mean, std=std, a=a, b=b)


class DropPath(nn.Module):
    """Stochastic depth; the identity at inference (and build_sam_vit_t uses drop_path_rate 0)."""

    def __init__(self, drop_prob=0.0):
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, x):
        if self.drop_prob == 0.0 or not self.training:
            return x
        keep = 1.0 - self.drop_prob
        mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
        return x * mask / keep
''',
    "timm/models/registry.py": '''
def register_model(fn):
    return fn
''',
}


def install_timm_stand_in(out):
    root = os.path.join(out, "pystub")
    for rel, text in TIMM_STAND_IN.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    sys.path.insert(0, root)


def randomise(model, seed):
    """Seeded, O(1)-activation random values for every state_dict entry, buffers included."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in model.state_dict(keep_vars=True).items():
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "num_batches_tracked":
                t.fill_(int(torch.randint(1, 100000, (1,), generator=g)))
                continue
            r = torch.randn(t.shape, generator=g, dtype=torch.float32)
            if leaf == "running_var":
                v = 0.5 + torch.rand(t.shape, generator=g)  # positive, around 1
            elif leaf == "running_mean":
                v = 0.2 * r
            elif leaf == "attention_biases":
                v = 0.5 * r
            elif any(k in name for k in UNIT_NORMAL):
                v = r
            elif t.dim() == 1 and leaf == "weight":  # LayerNorm / LayerNorm2d / BatchNorm gains
                v = 1.0 + 0.2 * r
            elif t.dim() == 1:  # biases
                v = 0.1 * r
            else:  # Linear / Conv / ConvTranspose weights: unit-variance outputs
                if "output_upscaling" in name:  # ConvTranspose2d: [in, out, kh, kw]
                    fan_in = t.shape[0]
                else:
                    fan_in = int(np.prod(t.shape[1:]))
                v = r / np.sqrt(fan_in)
            t.copy_(v)


def sam_vit_b_with_shared_storage(path):
    """A SAM ViT-B checkpoint with the official keys and shapes, every tensor a view of one storage."""
    from mobile_sam import build_sam_vit_b
    shapes = {k: v.shape for k, v in build_sam_vit_b().state_dict().items()}
    largest = max(int(np.prod(s)) for s in shapes.values())
    base = 0.02 * torch.randn(largest, generator=torch.Generator().manual_seed(11))
    torch.save({k: base[: int(np.prod(s))].view(s) for k, s in shapes.items()}, path)


def main():
    out, config = sys.argv[1], sys.argv[2]
    if config != "mobile_sam":
        raise SystemExit("unknown config %r (only mobile_sam)" % config)
    shared = sys.argv[3] if len(sys.argv) > 3 else os.environ.get("STUDIO_SHARED_DIR", "../shared")
    os.makedirs(out, exist_ok=True)
    install_timm_stand_in(out)
    sys.path.insert(0, os.path.join(shared, "reference", "mobilesam"))
    from mobile_sam import SamPredictor, build_sam_vit_t
    from mobile_sam.modeling.tiny_vit_sam import Attention
    from mobile_sam.utils.transforms import ResizeLongestSide

    torch.manual_seed(0)
    w = Writer(out)
    sam = build_sam_vit_t()
    randomise(sam, seed=4321)
    # TinyViT's Attention caches ab = attention_biases[:, attention_bias_idxs] in train(False):
    # build_sam_vit_t called eval() before the weights were set, so the cache is stale until this.
    sam.eval()
    for m in sam.modules():
        if isinstance(m, Attention):
            assert torch.equal(m.ab, m.attention_biases[:, m.attention_bias_idxs])
    w.manifest["config"] = config
    w.manifest["torch"] = torch.__version__
    sd = sam.state_dict()
    assert not any(k.endswith("attention_bias_idxs") for k in sd), "idxs buffer is persistent here"
    ckpt = os.path.join(out, "mobile_sam.pt")
    torch.save(sd, ckpt)
    w.manifest["checkpoint"] = os.path.basename(ckpt)
    w.manifest["state_dict_keys"] = len(sd)

    with_idxs = dict(sd)
    for name, m in sam.named_modules():
        if isinstance(m, Attention):
            with_idxs[name + ".attention_bias_idxs"] = m.attention_bias_idxs.clone()
    torch.save(with_idxs, os.path.join(out, "mobile_sam_with_idxs.pt"))
    w.manifest["checkpoint_with_idxs"] = "mobile_sam_with_idxs.pt"
    bad = dict(with_idxs)
    key = "image_encoder.layers.2.blocks.3.attn.attention_bias_idxs"
    bad[key] = bad[key].clone()
    bad[key][5, 6] += 1
    torch.save(bad, os.path.join(out, "mobile_sam_bad_idxs.pt"))
    w.manifest["checkpoint_bad_idxs"] = "mobile_sam_bad_idxs.pt"

    sam_vit_b_with_shared_storage(os.path.join(out, "sam_vit_b_shared.pth"))
    w.manifest["sam_vit_b_checkpoint"] = "sam_vit_b_shared.pth"

    transform = ResizeLongestSide(1024)
    image = make_image(533, 711, seed=7)
    w.put("image", image)
    resized = transform.apply_image(image)
    w.put("image_resized", resized)

    predictor = SamPredictor(sam)
    torch_img = torch.as_tensor(resized).permute(2, 0, 1).contiguous()[None]
    model_input = sam.preprocess(torch_img)
    w.put("model_input", model_input)

    # TinyViT stage outputs, for locating a mismatch: patch_embed [1, 64, 256, 256], layers.0
    # [1, 16384, 128] (after its patch merging), layers.1 [1, 4096, 160], layers.2/3 [1, 4096, 320].
    enc = sam.image_encoder
    stages = [("stage_patch_embed", enc.patch_embed)] + [
        ("stage_layer_%d" % i, layer) for i, layer in enumerate(enc.layers)]
    captured = {}
    hooks = [mod.register_forward_hook(lambda m, i, o, n=n: captured.__setitem__(n, o)) for n, mod in stages]
    predictor.set_torch_image(torch_img, image.shape[:2])
    for h in hooks:
        h.remove()
    for n, _ in stages:
        w.put(n, captured[n])
        print("%s %s max |x| %.3g" % (n, tuple(captured[n].shape), captured[n].abs().max()))
    w.put("image_embedding", predictor.features)
    w.put("dense_pe", sam.prompt_encoder.get_dense_pe())

    # Reference encoder time on 2 threads (what the Java side gets), median of 3 after the run above.
    torch.set_num_threads(2)
    times = []
    with torch.no_grad():
        for _ in range(3):
            t0 = time.time()
            sam.image_encoder(model_input)
            times.append(time.time() - t0)
    w.manifest["reference_encoder_seconds"] = float(np.median(times))
    w.manifest["reference_threads"] = torch.get_num_threads()

    oh, ow = image.shape[:2]
    mask_seed = np.random.default_rng(3).normal(0, 4, (1, 256, 256)).astype(np.float32)
    cases = [
        ("point_multi", dict(point_coords=np.array([[300.0, 200.0]]), point_labels=np.array([1]),
                             multimask_output=True)),
        ("point_single", dict(point_coords=np.array([[300.0, 200.0]]), point_labels=np.array([1]),
                              multimask_output=False)),
        ("points_single", dict(point_coords=np.array([[120.5, 80.25], [600.0, 500.0], [10, 520]]),
                               point_labels=np.array([1, 0, 1]), multimask_output=False)),
        ("box", dict(box=np.array([50.0, 60.0, 400.0, 420.0]), multimask_output=False)),
        ("box_multi", dict(box=np.array([50.0, 60.0, 400.0, 420.0]), multimask_output=True)),
        ("points_box_multi", dict(point_coords=np.array([[220.0, 240.0], [90.0, 100.0]]),
                                  point_labels=np.array([1, 0]), box=np.array([40, 30, 500, 450]),
                                  multimask_output=True)),
        ("point_mask", dict(point_coords=np.array([[ow - 1.0, oh - 1.0]]), point_labels=np.array([1]),
                            mask_input=mask_seed, multimask_output=False)),
    ]
    w.manifest["cases"] = []
    for name, kw in cases:
        prefix = "case_%s_" % name
        entry = {"name": name, "multimask": kw["multimask_output"]}
        if "point_coords" in kw:
            w.put(prefix + "points", kw["point_coords"])
            w.put(prefix + "labels", kw["point_labels"])
            w.put(prefix + "points_resized", transform.apply_coords(kw["point_coords"], (oh, ow)))
        if "box" in kw:
            w.put(prefix + "box", kw["box"])
            w.put(prefix + "box_resized", transform.apply_boxes(kw["box"][None], (oh, ow)))
        if "mask_input" in kw:
            w.put(prefix + "mask_input", kw["mask_input"])
        masks, iou, low_res = predictor.predict(**kw)
        logits, _, _ = predictor.predict(return_logits=True, **kw)
        w.put(prefix + "masks", masks)
        w.put(prefix + "mask_logits", logits)
        w.put(prefix + "iou", iou)
        w.put(prefix + "low_res", low_res)
        w.manifest["cases"].append(entry)
    w.close()
    print("wrote %s (%s, reference encoder %.2f s on %d threads)" % (
        out, config, w.manifest["reference_encoder_seconds"], w.manifest["reference_threads"]))


if __name__ == "__main__":
    main()
