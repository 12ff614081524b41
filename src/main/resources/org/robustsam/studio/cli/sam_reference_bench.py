#!/usr/bin/python3
"""Times the reference SAM (segment-anything's own Python code) for `studio bench`.

Usage: sam_reference_bench.py REFERENCE_DIR CONFIG CHECKPOINT IMAGE RUNS PROMPTS THREADS
Prints one JSON object: encoder seconds per run (after one warm-up) and prompt-to-mask
milliseconds per prompt, measured the same way as the Java side (set_image; predict with one
point, multimask, on the cached embedding).
"""
import json
import sys
import time
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


def main():
    ref_dir, config, checkpoint, image_path, runs, prompts, threads = sys.argv[1:8]
    sys.path.insert(0, ref_dir)
    from segment_anything.modeling import ImageEncoderViT, MaskDecoder, PromptEncoder, Sam, TwoWayTransformer
    from segment_anything.predictor import SamPredictor

    torch.set_num_threads(int(threads))
    dim, depth, heads, global_idx = CONFIGS[config]
    sam = Sam(
        image_encoder=ImageEncoderViT(depth=depth, embed_dim=dim, img_size=1024, mlp_ratio=4,
                                      norm_layer=partial(torch.nn.LayerNorm, eps=1e-6), num_heads=heads,
                                      patch_size=16, qkv_bias=True, use_rel_pos=True,
                                      global_attn_indexes=global_idx, window_size=14, out_chans=256),
        prompt_encoder=PromptEncoder(embed_dim=256, image_embedding_size=(64, 64),
                                     input_image_size=(1024, 1024), mask_in_chans=16),
        mask_decoder=MaskDecoder(num_multimask_outputs=3,
                                 transformer=TwoWayTransformer(depth=2, embedding_dim=256, mlp_dim=2048, num_heads=8),
                                 transformer_dim=256, iou_head_depth=3, iou_head_hidden_dim=256),
        pixel_mean=[123.675, 116.28, 103.53], pixel_std=[58.395, 57.12, 57.375])
    sam.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    sam.eval()
    predictor = SamPredictor(sam)
    image = np.array(Image.open(image_path).convert("RGB"))
    h, w = image.shape[:2]
    rng = np.random.default_rng(0)
    with torch.no_grad():
        predictor.set_image(image)  # warm-up
        enc = []
        for _ in range(int(runs)):
            t0 = time.perf_counter()
            predictor.set_image(image)
            enc.append(time.perf_counter() - t0)
        for _ in range(3):
            predictor.predict(point_coords=np.array([[w / 2, h / 2]]), point_labels=np.array([1]), multimask_output=True)
        dec = []
        for _ in range(int(prompts)):
            pt = np.array([[rng.uniform(0, w), rng.uniform(0, h)]])
            t0 = time.perf_counter()
            predictor.predict(point_coords=pt, point_labels=np.array([1]), multimask_output=True)
            dec.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "encoder_seconds": enc, "prompt_ms": dec}))


if __name__ == "__main__":
    main()
