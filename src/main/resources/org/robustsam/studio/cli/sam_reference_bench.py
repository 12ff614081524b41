#!/usr/bin/python3
"""Times the reference implementation of a checkpoint's family for `studio bench`.

Usage: sam_reference_bench.py REFERENCE_DIR FAMILY CONFIG CHECKPOINT IMAGE RUNS PROMPTS THREADS
  FAMILY: SAM (REFERENCE_DIR holds segment_anything), RobustSAM (robust_segment_anything) or
          MobileSAM (mobile_sam); CONFIG: tiny | vit_b | vit_l | vit_h (ignored for MobileSAM).

Prints one JSON object: encoder seconds per run (after one warm-up) and prompt-to-mask
milliseconds per prompt, measured the same way as the Java side (set_image; predict with one
random point, multimask, on the cached embedding), with the family's own predictor:
  SAM        segment_anything.SamPredictor
  RobustSAM  robust_segment_anything.SamPredictor with its mask decoder on the robust path
             (clear=False, as the reference's Sam.predict and eval.py); the reference runs AMFG's
             image side inside every decoder call, so it is also timed on its own
             ("image_side_seconds") for a like-for-like sum with the Java encoder, which runs it
             once per image
  MobileSAM  mobile_sam.SamPredictor on build_sam_vit_t (TinyViT-5M)
"""
import json
import sys
import time
import types
from functools import partial

import numpy as np
import torch
from PIL import Image

CONFIGS = {
    "tiny": (64, 2, 2, [1]),
    "vit_b": (768, 12, 12, [2, 5, 8, 11]),
    "vit_l": (1024, 24, 16, [5, 11, 17, 23]),
    "vit_h": (1280, 32, 16, [7, 15, 23, 31]),
}
# The Java loader's rule (TensorDictLocator): a training save may wrap the state dict.
WRAPPER_KEYS = ("state_dict", "model", "model_state_dict", "module", "net", "params_ema", "params", "weights")


def state_dict_of(path):
    obj = torch.load(path, map_location="cpu")

    def is_sd(d):
        return isinstance(d, dict) and d and all(torch.is_tensor(v) for v in d.values())

    if not is_sd(obj):
        inner = [obj.get(k) for k in WRAPPER_KEYS if isinstance(obj, dict) and is_sd(obj.get(k))]
        if not inner:
            inner = [v for v in obj.values() if is_sd(v)] if isinstance(obj, dict) else []
        if not inner:
            raise SystemExit("%s: no dict of tensors found" % path)
        obj = inner[0]
    # DataParallel saves prefix every key with "module."
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in obj.items()}


def sam_parts(modeling, config, robust):
    dim, depth, heads, global_idx = CONFIGS[config]
    decoder_args = dict(num_multimask_outputs=3,
                        transformer=modeling.TwoWayTransformer(depth=2, embedding_dim=256, mlp_dim=2048, num_heads=8),
                        transformer_dim=256, iou_head_depth=3, iou_head_hidden_dim=256)
    if robust:
        decoder_args.update(opt=None, vit_dim=dim)
    return modeling.Sam(
        image_encoder=modeling.ImageEncoderViT(depth=depth, embed_dim=dim, img_size=1024, mlp_ratio=4,
                                               norm_layer=partial(torch.nn.LayerNorm, eps=1e-6), num_heads=heads,
                                               patch_size=16, qkv_bias=True, use_rel_pos=True,
                                               global_attn_indexes=global_idx, window_size=14, out_chans=256),
        prompt_encoder=modeling.PromptEncoder(embed_dim=256, image_embedding_size=(64, 64),
                                              input_image_size=(1024, 1024), mask_in_chans=16),
        mask_decoder=modeling.MaskDecoder(**decoder_args),
        pixel_mean=[123.675, 116.28, 103.53], pixel_std=[58.395, 57.12, 57.375])


def install_timm_stand_in():
    """MobileSAM's TinyViT imports DropPath, to_2tuple, trunc_normal_ and register_model from timm.

    Where timm is not installed, small in-memory modules stand in (DropPath is the identity at
    inference, and build_sam_vit_t uses drop_path_rate 0).
    """
    try:
        import timm.models.layers  # noqa: F401
        import timm.models.registry  # noqa: F401
        return
    except ImportError:
        pass
    from torch import nn

    class DropPath(nn.Module):
        def __init__(self, drop_prob=0.0):
            super().__init__()
            self.drop_prob = drop_prob

        def forward(self, x):
            return x

    layers = types.ModuleType("timm.models.layers")
    layers.DropPath = DropPath
    layers.to_2tuple = lambda x: tuple(x) if isinstance(x, (tuple, list)) else (x, x)
    layers.trunc_normal_ = lambda t, mean=0.0, std=1.0, a=-2.0, b=2.0: nn.init.trunc_normal_(t, mean, std, a, b)
    registry = types.ModuleType("timm.models.registry")
    registry.register_model = lambda fn: fn
    models = types.ModuleType("timm.models")
    models.layers, models.registry = layers, registry
    timm = types.ModuleType("timm")
    timm.models = models
    sys.modules.update({"timm": timm, "timm.models": models, "timm.models.layers": layers,
                        "timm.models.registry": registry})


def build(family, config, checkpoint):
    """The reference model with the checkpoint's weights (strict), its predictor, and the robust
    path's image side as a callable on the predictor's cached features (None for SAM/MobileSAM)."""
    sd = state_dict_of(checkpoint)
    if family == "SAM":
        from segment_anything import modeling
        from segment_anything.predictor import SamPredictor
        model = sam_parts(modeling, config, robust=False)
    elif family == "RobustSAM":
        try:
            import matplotlib.pyplot  # noqa: F401  (imported, unused, by the reference transformer.py)
        except ImportError:
            sys.modules["matplotlib"] = types.ModuleType("matplotlib")
            sys.modules["matplotlib.pyplot"] = types.ModuleType("matplotlib.pyplot")
        from robust_segment_anything import modeling
        from robust_segment_anything.predictor import SamPredictor
        model = sam_parts(modeling, config, robust=True)
    elif family == "MobileSAM":
        install_timm_stand_in()
        from mobile_sam import build_sam_vit_t
        from mobile_sam.predictor import SamPredictor
        model = build_sam_vit_t()
        # attention_bias_idxs is a non-persistent buffer; some saves carry it anyway
        sd = {k: v for k, v in sd.items() if not k.endswith("attention_bias_idxs")}
    else:
        raise SystemExit("unknown family %r (SAM, RobustSAM or MobileSAM)" % family)
    model.load_state_dict(sd)
    # eval() after loading: TinyViT's attention caches its bias table (attention_biases[:, idxs]) here
    model.eval()
    image_side = None
    if family == "RobustSAM":
        decoder = model.mask_decoder
        # the reference SamPredictor calls the decoder with its default clear=True (SAM's own path);
        # the robust path is what the reference's Sam.predict and eval.py run
        decoder.forward = partial(decoder.forward, clear=False)

        def image_side(features):
            embedding, encoder_features = features
            early = encoder_features[0].permute(0, 3, 1, 2)  # [1, 64, 64, C] -> [1, C, 64, 64]
            return (decoder.fourier_first_layer_features(early, clear=False)
                    + decoder.fourier_last_layer_features(embedding, clear=False))
    return model, SamPredictor(model), image_side


def main():
    ref_dir, family, config, checkpoint, image_path, runs, prompts, threads = sys.argv[1:9]
    sys.path.insert(0, ref_dir)
    torch.set_num_threads(int(threads))
    model, predictor, image_side = build(family, config, checkpoint)
    image = np.array(Image.open(image_path).convert("RGB"))
    h, w = image.shape[:2]
    rng = np.random.default_rng(0)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "family": family}
    with torch.no_grad():
        predictor.set_image(image)  # warm-up
        enc = []
        for _ in range(int(runs)):
            t0 = time.perf_counter()
            predictor.set_image(image)
            enc.append(time.perf_counter() - t0)
        out["encoder_seconds"] = enc
        if image_side is not None:
            image_side(predictor.features)  # warm-up
            side = []
            for _ in range(int(runs)):
                t0 = time.perf_counter()
                image_side(predictor.features)
                side.append(time.perf_counter() - t0)
            out["image_side_seconds"] = side
        for _ in range(3):
            predictor.predict(point_coords=np.array([[w / 2, h / 2]]), point_labels=np.array([1]), multimask_output=True)
        dec = []
        for _ in range(int(prompts)):
            pt = np.array([[rng.uniform(0, w), rng.uniform(0, h)]])
            t0 = time.perf_counter()
            predictor.predict(point_coords=pt, point_labels=np.array([1]), multimask_output=True)
            dec.append((time.perf_counter() - t0) * 1000)
        out["prompt_ms"] = dec
    print(json.dumps(out))


if __name__ == "__main__":
    main()
