#!/usr/bin/python3
"""Loads a checkpoint written by the Java trainer into the reference RobustSAM, strictly.

Usage: check_train_checkpoint.py CHECKPOINT CONFIG [SHARED_DIR]
  CONFIG: tiny | vit_b | vit_l | vit_h

torch.load, then load_state_dict(strict=True) on the reference model built for CONFIG, then one
RobustSAM forward (clear=False) on a seeded input to show the weights are usable. Prints one JSON
line: tensors, parameters, the BatchNorm counters' dtype, whether the outputs are finite.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_robustsam_fixtures import build, import_reference  # noqa: E402


def main():
    path, config = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.environ.get("STUDIO_SHARED_DIR", "../shared")
    import_reference(shared)
    sd = torch.load(path, map_location="cpu")
    model = build(config)
    model.load_state_dict(sd, strict=True)
    counters = sorted({str(v.dtype) for k, v in sd.items() if k.endswith("num_batches_tracked")})
    torch.manual_seed(0)
    with torch.no_grad():
        emb, feats = model.image_encoder(torch.randn(1, 3, 1024, 1024))
        sparse, dense = model.prompt_encoder(points=(torch.tensor([[[500.0, 400.0]]]), torch.ones(1, 1)),
                                             boxes=None, masks=None)
        masks, iou, _, _ = model.mask_decoder(
            image_embeddings=emb, image_pe=model.prompt_encoder.get_dense_pe(), sparse_prompt_embeddings=sparse,
            dense_prompt_embeddings=dense, multimask_output=False, encoder_features=feats[0].unsqueeze(0),
            clear=False)
    print(json.dumps({"tensors": len(sd), "parameters": int(sum(v.numel() for v in sd.values())),
                      "counter_dtypes": counters, "finite": bool(torch.isfinite(masks).all()),
                      "strict": True}))


if __name__ == "__main__":
    main()
