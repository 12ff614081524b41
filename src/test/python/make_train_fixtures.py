#!/usr/bin/python3
"""Training-step parity fixtures for the Java trainer (org.robustsam.studio.train).

Usage: make_train_fixtures.py OUT_DIR [SHARED_DIR]
  SHARED_DIR: the project's ../shared folder (default: $STUDIO_SHARED_DIR or ../shared).

Builds the tiny reference RobustSAM with seeded random weights (make_robustsam_fixtures.randomise),
saves its state_dict, and for each prompt case runs one training step the way the reference's
engine.train does: model.train(), Sam.forward on [clean, degraded] (first half clear=True, second
half the RobustSAM path), the loss terms with engine.py's criteria and weights (loss.py's
FocalLoss(gamma=2, alpha=0.25) and DiceLoss against the ground truth, MSELoss on tokens and robust
mask features), backward. Only RobustSAM's modules require gradients (SAM frozen), as the Java
trainer. Then NaN repair, clip_grad_norm_(1.0) and one torch.optim.AdamW step.

The same forward and backward again in float64 gives the exact gradients: how far the float32
reference is from them is the float noise a float32 implementation can be expected to show.

Written per case: the loss terms, every module gradient (before clipping) in float32 and float64,
the clipped gradients,
the BatchNorm running statistics after the step's forward, the clip norm and the parameters after
the AdamW step. Inputs (the preprocessed model inputs, prompts in the 1024 frame, the ground truth)
are written too, so the Java side feeds exactly the same tensors.
"""

import json
import os
import sys
import types

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_sam_fixtures import Writer, make_image  # noqa: E402
from make_robustsam_fixtures import build, import_reference, randomise  # noqa: E402

ROBUST = ("custom_robust_token", "robust_mlp", "fourier_", "custom_token_block")
ADAMW = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
CLIP = 1.0
H, W = 96, 128


def import_engine(shared):
    """engine.py's criteria and weights (it imports tqdm at the top: stubbed when absent)."""
    ref = os.path.join(shared, "reference", "robustsam")
    sys.path.insert(0, ref)
    try:
        import tqdm  # noqa: F401
    except ImportError:
        stub = types.ModuleType("tqdm")
        stub.tqdm = lambda x, *a, **k: x
        sys.modules["tqdm"] = stub
    import engine
    return engine


def is_robust(name):
    return any(name.startswith("mask_decoder." + m) for m in ROBUST)


def float64_gradients(initial, inputs, kw, engine, gt):
    """The case's module gradients computed in float64 (prompt encoder in float32, as it casts)."""
    model = build("tiny")
    model.load_state_dict(initial)
    model = model.double()
    pe = model.prompt_encoder.float()
    forward, dense_pe = pe.forward, pe.get_dense_pe
    pe.forward = lambda points=None, boxes=None, masks=None: tuple(
        t.double() for t in forward(points=None if points is None else (points[0].float(), points[1].float()),
                                    boxes=None if boxes is None else boxes.float(), masks=masks))
    pe.get_dense_pe = lambda: dense_pe().double()
    for n, p in model.named_parameters():
        p.requires_grad_(is_robust(n))
    model.train()
    records = [dict(r, image=r["image"].double()) for r in inputs]
    outputs = model(None, records, multimask_output=False, return_logits=True)
    gt_mask = torch.as_tensor(gt)[None].double().unsqueeze(1)
    total = (engine.weight_focal * engine.criterion_focal(outputs[1]["masks"], gt_mask)
             + engine.weight_dice * engine.criterion_dice(outputs[1]["masks"], gt_mask)
             + engine.criterion_token(outputs[1]["robust_token"], outputs[0]["robust_token"]) * engine.weight_token
             + engine.criterion_embeddings(outputs[1]["robust_embeddings"], outputs[0]["robust_embeddings"])
             * engine.weight_embedding)
    total.backward()
    return {n: p.grad for n, p in model.named_parameters() if p.requires_grad}


def main():
    out = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("STUDIO_SHARED_DIR", "../shared")
    import_reference(shared)
    engine = import_engine(shared)
    from robust_segment_anything.utils.transforms import ResizeLongestSide

    torch.manual_seed(0)
    w = Writer(out)
    model = build("tiny")
    randomise(model, seed=2468)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    ckpt = os.path.join(out, "robustsam_tiny_train.pth")
    torch.save(model.state_dict(), ckpt)
    w.manifest["checkpoint"] = os.path.basename(ckpt)
    w.manifest["torch"] = torch.__version__
    w.manifest["weights"] = {"focal": engine.weight_focal, "dice": engine.weight_dice,
                             "token": engine.weight_token, "embedding": engine.weight_embedding}
    w.manifest["adamw"] = {"lr": ADAMW["lr"], "beta1": ADAMW["betas"][0], "beta2": ADAMW["betas"][1],
                           "eps": ADAMW["eps"], "weight_decay": ADAMW["weight_decay"]}
    w.manifest["clip"] = CLIP

    # A clean image, a degraded copy (noise and a colour cast), a ground-truth disc.
    clean = make_image(H, W, seed=11)
    rng = np.random.default_rng(12)
    degraded = np.clip(clean.astype(np.float64) * 0.7 + 40 + rng.normal(0, 25, clean.shape), 0, 255)
    degraded = np.round(degraded).astype(np.uint8)
    yy, xx = np.mgrid[0:H, 0:W]
    gt = (((yy - 50) / 30.0) ** 2 + ((xx - 70) / 40.0) ** 2 < 1).astype(np.float32)
    w.put("gt", gt)

    transform = ResizeLongestSide(1024)
    inputs = []
    for name, img in (("clean", clean), ("degraded", degraded)):
        resized = transform.apply_image(img)
        t = torch.as_tensor(resized).permute(2, 0, 1).contiguous().float()
        inputs.append(t)
        w.put("model_input_" + name, model.preprocess(t)[None])
    w.manifest["input_size"] = list(inputs[0].shape[-2:])
    w.manifest["original_size"] = [H, W]

    cases = [
        ("points", dict(points=np.array([[70.0, 50.0], [60.0, 40.0], [85.0, 62.0]]), box=None)),
        ("box", dict(points=None, box=np.array([30.0, 20.0, 110.0, 80.0]))),
    ]
    w.manifest["cases"] = []
    for name, kw in cases:
        prefix = "case_%s_" % name
        model.load_state_dict(initial)
        for n, p in model.named_parameters():
            p.requires_grad_(is_robust(n))
            p.grad = None
        model.train()
        records = []
        for t in inputs:
            rec = {"image": t, "original_size": (H, W)}
            if kw["points"] is not None:
                pts = transform.apply_coords(kw["points"], (H, W))
                rec["point_coords"] = torch.as_tensor(pts, dtype=torch.float)[None]
                rec["point_labels"] = torch.ones(1, len(pts))
            if kw["box"] is not None:
                rec["boxes"] = torch.as_tensor(transform.apply_boxes(kw["box"][None], (H, W)), dtype=torch.float)
            records.append(rec)
        if kw["points"] is not None:
            w.put(prefix + "points", records[0]["point_coords"])
            w.put(prefix + "labels", records[0]["point_labels"])
        if kw["box"] is not None:
            w.put(prefix + "box", records[0]["boxes"])

        outputs = model(None, records, multimask_output=False, return_logits=True)
        clear_tokens = outputs[0]["robust_token"]
        clear_embeddings = outputs[0]["robust_embeddings"]
        degraded_masks = outputs[1]["masks"]
        degraded_tokens = outputs[1]["robust_token"]
        degraded_embeddings = outputs[1]["robust_embeddings"]
        gt_mask = torch.as_tensor(gt)[None].float().unsqueeze(1)
        focal = engine.criterion_focal(degraded_masks, gt_mask)
        dice = engine.criterion_dice(degraded_masks, gt_mask)
        token = engine.criterion_token(degraded_tokens, clear_tokens)
        embedding = engine.criterion_embeddings(degraded_embeddings, clear_embeddings)
        # computed by engine.train as mask_loss_clear, not added to the total there
        clear_masks = outputs[0]["masks"]
        teacher_focal = engine.criterion_focal(degraded_masks, clear_masks.float())
        teacher_dice = engine.criterion_dice(degraded_masks, clear_masks.float())
        total = (engine.weight_focal * focal + engine.weight_dice * dice + token * engine.weight_token
                 + embedding * engine.weight_embedding)
        total.backward()

        w.manifest["cases"].append({
            "name": name,
            "loss": {"total": total.item(), "focal": focal.item(), "dice": dice.item(),
                     "token": token.item(), "embedding": embedding.item(),
                     "teacher_focal": teacher_focal.item(), "teacher_dice": teacher_dice.item()},
        })
        grads = {}
        for n, p in model.named_parameters():
            if p.requires_grad:
                g = p.grad.clone()
                g[torch.isnan(g)] = 0
                grads[n] = g
                w.put(prefix + "grad_" + n, g)
        for n, b in model.named_buffers():
            if is_robust(n) and b.dtype.is_floating_point:
                w.put(prefix + "buffer_" + n, b)
        for n, g in float64_gradients(initial, records, kw, engine, gt).items():
            w.put(prefix + "grad64_" + n, g.float())
        params = [p for p in model.parameters() if p.requires_grad]
        norm = torch.nn.utils.clip_grad_norm_(params, CLIP)
        w.manifest["cases"][-1]["grad_norm"] = float(norm)
        for n, p in model.named_parameters():
            if p.requires_grad:
                w.put(prefix + "clipped_" + n, p.grad)
        opt = torch.optim.AdamW(params, **ADAMW)
        opt.step()
        for n, p in model.named_parameters():
            if p.requires_grad:
                w.put(prefix + "after_" + n, p.detach())
        w.manifest["cases"][-1]["trainable"] = [n for n, p in model.named_parameters() if p.requires_grad]
    w.close()
    print("wrote %s" % out)


if __name__ == "__main__":
    main()
