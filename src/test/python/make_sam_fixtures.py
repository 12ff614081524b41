#!/usr/bin/python3
"""Parity fixtures for the Java SAM port (org.robustsam.studio.model.sam).

Usage: make_sam_fixtures.py OUT_DIR CONFIG [SHARED_DIR]
  CONFIG: tiny | vit_b | vit_l | vit_h
  SHARED_DIR: the project's ../shared folder (default: $STUDIO_SHARED_DIR or ../shared).

Builds the reference SAM from shared/reference/segment-anything with seeded random weights (every
parameter and buffer randomised, so zero-initialised ones such as rel_pos and pos_embed matter),
saves its state_dict with torch.save (the official checkpoint format), runs the reference
ResizeLongestSide / SamPredictor pieces on a seeded image and a set of prompts, and writes inputs
and outputs as raw little-endian arrays plus manifest.json (name -> file, dtype, shape).
"""

import json
import os
import sys
import time

import numpy as np
import torch

CONFIGS = {
    # name: (embed_dim, depth, heads, global_attn_indexes)
    "tiny": (64, 2, 2, [1]),
    "vit_b": (768, 12, 12, [2, 5, 8, 11]),
    "vit_l": (1024, 24, 16, [5, 11, 17, 23]),
    "vit_h": (1280, 32, 16, [7, 15, 23, 31]),
}

# Embedding-like parameters: unit normal like nn.Embedding's default init.
UNIT_NORMAL = ("point_embeddings", "not_a_point_embed", "no_mask_embed", "iou_token",
               "mask_tokens", "positional_encoding_gaussian_matrix")


def build(config):
    from functools import partial
    from segment_anything.modeling import (ImageEncoderViT, MaskDecoder, PromptEncoder, Sam,
                                           TwoWayTransformer)
    dim, depth, heads, global_idx = CONFIGS[config]
    sam = Sam(
        image_encoder=ImageEncoderViT(
            depth=depth, embed_dim=dim, img_size=1024, mlp_ratio=4,
            norm_layer=partial(torch.nn.LayerNorm, eps=1e-6), num_heads=heads, patch_size=16,
            qkv_bias=True, use_rel_pos=True, global_attn_indexes=global_idx, window_size=14,
            out_chans=256),
        prompt_encoder=PromptEncoder(embed_dim=256, image_embedding_size=(64, 64),
                                     input_image_size=(1024, 1024), mask_in_chans=16),
        mask_decoder=MaskDecoder(
            num_multimask_outputs=3,
            transformer=TwoWayTransformer(depth=2, embedding_dim=256, mlp_dim=2048, num_heads=8),
            transformer_dim=256, iou_head_depth=3, iou_head_hidden_dim=256),
        pixel_mean=[123.675, 116.28, 103.53],
        pixel_std=[58.395, 57.12, 57.375],
    )
    sam.eval()
    return sam


def randomise(sam, seed):
    """Seeded, O(1)-activation random weights for every state_dict entry."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in sam.state_dict(keep_vars=True).items():
            r = torch.randn(t.shape, generator=g, dtype=torch.float32)
            leaf = name.rsplit(".", 1)[-1]
            if any(k in name for k in UNIT_NORMAL):
                v = r
            elif t.dim() == 1 and leaf == "weight":  # LayerNorm / LayerNorm2d gains
                v = 1.0 + 0.2 * r
            elif t.dim() == 1:  # biases
                v = 0.1 * r
            elif leaf.startswith("rel_pos") or leaf == "pos_embed":
                v = 0.2 * r
            else:  # Linear / Conv / ConvTranspose weights: unit-variance outputs
                if "output_upscaling" in name:  # ConvTranspose2d: [in, out, kh, kw]
                    fan_in = t.shape[0]
                else:
                    fan_in = int(np.prod(t.shape[1:]))
                v = r / np.sqrt(fan_in)
            t.copy_(v)


def make_image(h, w, seed):
    """A seeded RGB uint8 image with smooth gradients, discs and noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    img[..., 0] = 255 * xx / w
    img[..., 1] = 255 * yy / h
    img[..., 2] = 128 + 100 * np.sin(xx / 37.0) * np.cos(yy / 23.0)
    for _ in range(6):
        cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(0.05, 0.25) * min(h, w)
        colour = rng.uniform(0, 255, 3)
        inside = (yy - cy) ** 2 + (xx - cx) ** 2 < r * r
        img[inside] = 0.3 * img[inside] + 0.7 * colour
    img += rng.normal(0, 12, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


class Writer:
    def __init__(self, out):
        self.out = out
        self.manifest = {"arrays": {}}
        os.makedirs(out, exist_ok=True)

    def put(self, name, a):
        a = np.ascontiguousarray(a.detach().cpu().numpy() if torch.is_tensor(a) else a)
        if a.dtype == np.bool_:
            a = a.astype(np.uint8)
        if a.dtype == np.float64:
            a = a.astype(np.float32)
        if a.dtype in (np.int64, np.int32):
            a = a.astype(np.float32)
        dtype = {np.dtype(np.float32): "float32", np.dtype(np.uint8): "uint8"}[a.dtype]
        fname = name + ".bin"
        a.astype(a.dtype.newbyteorder("<")).tofile(os.path.join(self.out, fname))
        self.manifest["arrays"][name] = {"file": fname, "dtype": dtype, "shape": list(a.shape)}

    def close(self):
        with open(os.path.join(self.out, "manifest.json"), "w") as f:
            json.dump(self.manifest, f, indent=1)


def main():
    out, config = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.environ.get("STUDIO_SHARED_DIR", "../shared")
    sys.path.insert(0, os.path.join(shared, "reference", "segment-anything"))
    from segment_anything import SamPredictor
    from segment_anything.utils.transforms import ResizeLongestSide

    torch.manual_seed(0)
    w = Writer(out)
    sam = build(config)
    randomise(sam, seed=1234)
    w.manifest["config"] = config
    w.manifest["torch"] = torch.__version__
    ckpt = os.path.join(out, "sam_%s.pth" % config)
    torch.save(sam.state_dict(), ckpt)
    w.manifest["checkpoint"] = os.path.basename(ckpt)

    # Bad inputs (tiny only): one NaN in a decoder weight.
    if config == "tiny":
        sd = sam.state_dict()
        bad = {k: v.clone() for k, v in sd.items()}
        bad["mask_decoder.iou_prediction_head.layers.1.weight"][3, 7] = float("nan")
        torch.save(bad, os.path.join(out, "nan_weights.pth"))
        w.manifest["nan_checkpoint"] = "nan_weights.pth"

    # get_rel_pos with a table of another length (linearly resized, unused at 1024 input).
    from segment_anything.modeling.image_encoder import get_rel_pos
    table = torch.randn((31, 8), generator=torch.Generator().manual_seed(5))
    w.put("relpos_table", table)
    w.put("relpos_14", get_rel_pos(14, 14, table))

    # Resize parity: an upscale (the model input) and a downscale (PIL antialias path).
    transform = ResizeLongestSide(1024)
    image = make_image(533, 711, seed=7)
    w.put("image", image)
    resized = transform.apply_image(image)
    w.put("image_resized", resized)
    big = make_image(1500, 1111, seed=8)
    w.put("image_big", big)
    w.put("image_big_resized", transform.apply_image(big))

    predictor = SamPredictor(sam)
    torch_img = torch.as_tensor(resized).permute(2, 0, 1).contiguous()[None]
    model_input = sam.preprocess(torch_img)
    w.put("model_input", model_input)

    # Capture the outputs of the global-attention blocks (what RobustSAM's encoder returns).
    captured = []
    hooks = [blk.register_forward_hook(lambda m, i, o: captured.append(o))
             for blk in sam.image_encoder.blocks if blk.window_size == 0]
    t0 = time.time()
    predictor.set_torch_image(torch_img, image.shape[:2])
    w.manifest["reference_encoder_seconds"] = time.time() - t0
    w.manifest["reference_threads"] = torch.get_num_threads()
    for h in hooks:
        h.remove()
    w.put("image_embedding", predictor.features)
    for i, c in enumerate(captured):
        w.put("global_block_output_%d" % i, c)
    w.put("dense_pe", sam.prompt_encoder.get_dense_pe())

    oh, ow = image.shape[:2]
    mask_seed = np.random.default_rng(3).normal(0, 4, (1, 256, 256)).astype(np.float32)
    cases = [
        ("point_multi", dict(point_coords=np.array([[300.0, 200.0]]), point_labels=np.array([1]),
                             multimask_output=True)),
        ("points_single", dict(point_coords=np.array([[120.5, 80.25], [600.0, 500.0], [10, 520]]),
                               point_labels=np.array([1, 0, 1]), multimask_output=False)),
        ("box", dict(box=np.array([50.0, 60.0, 400.0, 420.0]), multimask_output=False)),
        ("points_box_multi", dict(point_coords=np.array([[220.0, 240.0], [90.0, 100.0]]),
                                  point_labels=np.array([1, 0]), box=np.array([40, 30, 500, 450]),
                                  multimask_output=True)),
        ("point_mask", dict(point_coords=np.array([[ow - 1.0, oh - 1.0]]), point_labels=np.array([1]),
                            mask_input=mask_seed, multimask_output=False)),
        ("box_mask_multi", dict(box=np.array([0.0, 0.0, ow, oh]), mask_input=mask_seed,
                                multimask_output=True)),
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
    print("wrote %s (%s, reference encoder %.1f s)" % (out, config, w.manifest["reference_encoder_seconds"]))


if __name__ == "__main__":
    main()
