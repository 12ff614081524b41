#!/usr/bin/python3
"""Parity fixtures for the Java RobustSAM port (org.robustsam.studio.model.robustsam).

Usage: make_robustsam_fixtures.py OUT_DIR CONFIG [SHARED_DIR]
  CONFIG: tiny | vit_b | vit_l | vit_h (the encoder shapes of make_sam_fixtures.py)
  SHARED_DIR: the project's ../shared folder (default: $STUDIO_SHARED_DIR or ../shared).

Builds the reference RobustSAM from shared/reference/robustsam with seeded random weights (every
state_dict entry randomised, the zero-initialised ones and BatchNorm's running statistics and
counters included), saves its state_dict with torch.save, runs the encoder once on a seeded image
and then, per prompt case, both decoder paths through the reference's own entry points:
  clear=True:  the reference SamPredictor.predict (its mask decoder call uses the default clear=True)
  clear=False: Sam.predict (what eval.py calls; it passes clear=False)
The robust mask features and tokens that SamPredictor drops are taken from the same decoder call
with a forward hook. Inputs and outputs are written as raw little-endian arrays plus manifest.json.
"""

import os
import sys
import time
import types

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_sam_fixtures import CONFIGS, Writer, make_image  # noqa: E402

# Embedding-like parameters: unit normal like nn.Embedding's default init.
UNIT_NORMAL = ("point_embeddings", "not_a_point_embed", "no_mask_embed", "iou_token",
               "mask_tokens", "positional_encoding_gaussian_matrix", "custom_robust_token")
# ConvTranspose2d weights are [in, out, k, k]: with kernel == stride each output sums `in` terms.
CONV_TRANSPOSE = ("output_upscaling.0.", "output_upscaling.3.", "upsample_layer.0.", "upsample_layer.3.")


def import_reference(shared):
    sys.path.insert(0, os.path.join(shared, "reference", "robustsam"))
    try:
        import matplotlib.pyplot  # noqa: F401  (imported, unused, by the reference transformer.py)
    except ImportError:
        sys.modules["matplotlib"] = types.ModuleType("matplotlib")
        sys.modules["matplotlib.pyplot"] = types.ModuleType("matplotlib.pyplot")
    import robust_segment_anything
    return robust_segment_anything


def build(config):
    """The reference _build_sam with the config's encoder (vit_dim = encoder width)."""
    from functools import partial
    from robust_segment_anything.modeling import (ImageEncoderViT, MaskDecoder, PromptEncoder, Sam,
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
            opt=None, num_multimask_outputs=3,
            transformer=TwoWayTransformer(depth=2, embedding_dim=256, mlp_dim=2048, num_heads=8),
            transformer_dim=256, iou_head_depth=3, iou_head_hidden_dim=256, vit_dim=dim),
        pixel_mean=[123.675, 116.28, 103.53],
        pixel_std=[58.395, 57.12, 57.375],
    )
    sam.eval()
    return sam


def randomise(model, seed):
    """Seeded, O(1)-activation random values for every state_dict entry."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in model.state_dict(keep_vars=True).items():
            leaf = name.rsplit(".", 1)[-1]
            if not t.dtype.is_floating_point:  # BatchNorm num_batches_tracked
                t.fill_(int(torch.randint(1, 100000, (1,), generator=g)))
                continue
            r = torch.randn(t.shape, generator=g, dtype=torch.float32)
            if any(k in name for k in UNIT_NORMAL):
                v = r
            elif leaf == "running_var":
                v = torch.exp(0.3 * r)
            elif t.dim() == 1 and leaf == "weight":  # LayerNorm / LayerNorm2d / BatchNorm gains
                v = 1.0 + 0.2 * r
            elif t.dim() == 1:  # biases, running means
                v = 0.1 * r
            elif leaf.startswith("rel_pos") or leaf == "pos_embed":
                v = 0.2 * r
            else:  # Linear / Conv / ConvTranspose weights: unit-variance outputs
                fan_in = t.shape[0] if any(k in name for k in CONV_TRANSPOSE) else int(np.prod(t.shape[1:]))
                v = r / np.sqrt(fan_in)
            t.copy_(v)


def main():
    out, config = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.environ.get("STUDIO_SHARED_DIR", "../shared")
    import_reference(shared)
    from robust_segment_anything import SamPredictor
    from robust_segment_anything.utils.transforms import ResizeLongestSide

    torch.manual_seed(0)
    torch.set_grad_enabled(False)  # inference only (the reference SamPredictor.predict does not turn it off)
    w = Writer(out)
    model = build(config)
    randomise(model, seed=4321)
    sd = model.state_dict()
    w.manifest["config"] = config
    w.manifest["torch"] = torch.__version__
    w.manifest["num_tensors"] = len(sd)
    w.manifest["num_elements"] = int(sum(t.numel() for t in sd.values()))
    ckpt = os.path.join(out, "robustsam_%s.pth" % config)
    torch.save(sd, ckpt)
    w.manifest["checkpoint"] = os.path.basename(ckpt)

    if config == "tiny":
        # Bad inputs and variants: the plain SAM part; one RobustSAM module dropped; a DataParallel save.
        robust = ("custom_robust_token", "robust_mlp", "fourier_", "custom_token_block")
        sam_only = {k: v for k, v in sd.items() if not any(k.startswith("mask_decoder." + m) for m in robust)}
        torch.save(sam_only, os.path.join(out, "sam_base_tiny.pth"))
        w.manifest["sam_checkpoint"] = "sam_base_tiny.pth"
        partial_sd = {k: v for k, v in sd.items() if not k.startswith("mask_decoder.custom_token_block.")}
        torch.save(partial_sd, os.path.join(out, "no_token_block.pth"))
        w.manifest["partial_checkpoint"] = "no_token_block.pth"
        torch.save({"module." + k: v for k, v in sd.items()}, os.path.join(out, "data_parallel.pth"))
        w.manifest["data_parallel_checkpoint"] = "data_parallel.pth"

    transform = ResizeLongestSide(1024)
    image = make_image(533, 711, seed=7)
    w.put("image", image)
    resized = transform.apply_image(image)
    w.put("image_resized", resized)
    torch_img = torch.as_tensor(resized).permute(2, 0, 1).contiguous()[None]
    model_input = model.preprocess(torch_img)
    w.put("model_input", model_input)

    # One encoder forward for everything: later calls with the same input get the cached result.
    encoder_forward = model.image_encoder.forward
    cache = {}

    def cached_encoder(x):
        if "out" not in cache or not torch.equal(x, cache["in"]):
            cache["in"], cache["out"] = x.clone(), encoder_forward(x)
        return cache["out"]

    model.image_encoder.forward = cached_encoder

    predictor = SamPredictor(model)
    t0 = time.time()
    predictor.set_torch_image(torch_img, image.shape[:2])
    w.manifest["reference_encoder_seconds"] = time.time() - t0
    w.manifest["reference_threads"] = torch.get_num_threads()
    embedding, encoder_features = predictor.features
    w.put("image_embedding", embedding)
    w.put("early_features", encoder_features[0])
    w.manifest["num_global_outputs"] = len(encoder_features)

    # The reference decoder's four outputs, whichever entry point called it.
    decoder_out = []
    model.mask_decoder.register_forward_hook(lambda m, i, o: decoder_out.append(o))
    # AMFG image side and FGM in/out from the first case's calls (clear=True first, then clear=False).
    captured = {}

    def capture(name):
        def hook(m, i, o):
            captured.setdefault(name, []).append((i[0].detach().clone(), o.detach().clone()))
        return hook

    md = model.mask_decoder
    hooks = [md.fourier_first_layer_features.register_forward_hook(capture("first")),
             md.fourier_last_layer_features.register_forward_hook(capture("last"))]
    if config == "tiny":
        hooks += [md.fourier_mask_features.fgm_block.register_forward_hook(capture("fgm_mask")),
                  md.fourier_last_layer_features.fgm_block.register_forward_hook(capture("fgm_last"))]

    oh, ow = image.shape[:2]
    cases = [
        ("point_multi", dict(point_coords=np.array([[300.0, 200.0]]), point_labels=np.array([1]),
                             multimask_output=True)),
        ("points_single", dict(point_coords=np.array([[120.5, 80.25], [600.0, 500.0], [10, 520]]),
                               point_labels=np.array([1, 0, 1]), multimask_output=False)),
        ("box", dict(box=np.array([50.0, 60.0, 400.0, 420.0]), multimask_output=False)),
        ("points_box_multi", dict(point_coords=np.array([[220.0, 240.0], [90.0, 100.0]]),
                                  point_labels=np.array([1, 0]), box=np.array([40, 30, 500, 450]),
                                  multimask_output=True)),
    ]
    w.manifest["cases"] = []
    w.manifest["reference_decoder_seconds"] = {}
    for n, (name, kw) in enumerate(cases):
        prefix = "case_%s_" % name
        record = {"image": torch_img.float(), "original_size": (oh, ow)}
        if "point_coords" in kw:
            pts = transform.apply_coords(kw["point_coords"], (oh, ow))
            w.put(prefix + "points_resized", pts)
            w.put(prefix + "labels", kw["point_labels"])
            record["point_coords"] = torch.as_tensor(pts, dtype=torch.float)[None]
            record["point_labels"] = torch.as_tensor(kw["point_labels"], dtype=torch.float)[None]
        if "box" in kw:
            box = transform.apply_boxes(kw["box"][None], (oh, ow))
            w.put(prefix + "box_resized", box)
            record["boxes"] = torch.as_tensor(box, dtype=torch.float)[None]

        # clear=True: the reference SamPredictor (SAM's own path; the teacher).
        decoder_out.clear()
        t0 = time.time()
        _, iou, low_res = predictor.predict(**kw)
        t_clear = time.time() - t0
        masks_t, iou_t, emb_t, tok_t = decoder_out[0]
        # (this reference predictor returns torch tensors with the batch axis, unlike SAM's)
        assert torch.equal(iou, iou_t) and torch.equal(low_res, masks_t)
        w.put(prefix + "clear_low_res", low_res[0])
        w.put(prefix + "clear_iou", iou[0])
        w.put(prefix + "clear_features", emb_t)
        w.put(prefix + "clear_token", tok_t)

        # clear=False: Sam.predict, as eval.py.
        t0 = time.time()
        out_f = model.predict(None, [record], multimask_output=kw["multimask_output"])[0]
        t_robust = time.time() - t0
        w.put(prefix + "robust_low_res", out_f["low_res_logits"][0])
        w.put(prefix + "robust_iou", out_f["iou_predictions"][0])
        w.put(prefix + "robust_features", out_f["robust_embeddings"])
        w.put(prefix + "robust_token", out_f["robust_token"])
        w.put(prefix + "robust_masks", out_f["masks"][0])
        w.manifest["reference_decoder_seconds"][name] = {"clear": t_clear, "robust": t_robust}

        if config == "tiny" and n == 0:
            # The training path (Sam.forward: first half clear, second half degraded) gives the same.
            train_record = dict(record, image=torch_img[0].float())  # Sam.forward stacks 3xHxW images
            both = model(None, [train_record, train_record], multimask_output=kw["multimask_output"])
            assert torch.allclose(both[0]["low_res_logits"], masks_t, atol=1e-6)
            assert torch.allclose(both[1]["low_res_logits"], out_f["low_res_logits"], atol=1e-6)
            assert torch.allclose(both[1]["robust_embeddings"], out_f["robust_embeddings"], atol=1e-6)
        if n == 0:
            for h in hooks:
                h.remove()
            for k, clear in ((0, "clear"), (1, "robust")):
                w.put("image_features_" + clear, captured["first"][k][1] + captured["last"][k][1])
            if config == "tiny":
                for name_ in ("fgm_mask", "fgm_last"):
                    x, y = captured[name_][0]
                    w.put(name_ + "_in", x)
                    w.put(name_ + "_out", y)
        w.manifest["cases"].append({"name": name, "multimask": kw["multimask_output"]})
    w.close()
    print("wrote %s (%s, reference encoder %.1f s)" % (out, config, w.manifest["reference_encoder_seconds"]))


if __name__ == "__main__":
    main()
