#!/usr/bin/env python3
"""Independent checks of RobustSAM Studio's annotation exports, run by AnnotPythonCheckTest.

Usage: check_annotate_exports.py WORKDIR

WORKDIR/manifest.json lists
  "voc":      [{"png": path, "expected": raw uint8 path, "width": w, "height": h}, ...]
  "polygons": [{"name": str, "points": [[x, y], ...], "width": w, "height": h, "mask": raw uint8 path}, ...]
Prints one JSON object with the findings; the Java test asserts on it.

VOC: each PNG must open in PIL as a palette image ("P") whose indices equal the expected ones and
whose palette is the standard VOC colour map (computed here from its definition).
Polygons: the Java mask (pixel-centre, even-odd) is compared with PIL's ImageDraw.polygon fill of
the same points, as drawn (PIL puts pixel centres on integer coordinates) and shifted by -0.5 px
(the same convention as Java's), with each differing pixel's distance to the polygon outline.
"""
import json
import sys

import numpy as np
from PIL import Image, ImageDraw


def voc_palette():
    pal = []
    for i in range(256):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal += [r, g, b]
    return pal


def check_voc(items):
    expected_palette = voc_palette()
    out = {"files": 0, "all_mode_P": True, "index_mismatches": 0, "palette_ok": True, "max_index": 0}
    for it in items:
        im = Image.open(it["png"])
        out["files"] += 1
        if im.mode != "P":
            out["all_mode_P"] = False
            continue
        arr = np.array(im)
        exp = np.fromfile(it["expected"], dtype=np.uint8).reshape(it["height"], it["width"])
        out["index_mismatches"] += int((arr != exp).sum())
        out["max_index"] = max(out["max_index"], int(arr.max()))
        pal = im.getpalette()
        if pal is None or list(pal[:len(expected_palette)]) != expected_palette:
            out["palette_ok"] = False
    return out


def edge_distance(px, py, pts):
    """Distance from points (px, py) to the closed polyline pts."""
    best = np.full(px.shape, np.inf)
    n = len(pts)
    for i in range(n):
        ax, ay = pts[i]
        bx, by = pts[(i + 1) % n]
        dx, dy = bx - ax, by - ay
        l2 = dx * dx + dy * dy
        t = np.zeros_like(px) if l2 == 0 else np.clip(((px - ax) * dx + (py - ay) * dy) / l2, 0, 1)
        d = np.hypot(px - (ax + t * dx), py - (ay + t * dy))
        best = np.minimum(best, d)
    return best


def pil_fill(points, w, h, shift):
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).polygon([(x + shift, y + shift) for x, y in points], fill=1)
    return np.array(im).astype(bool)


def check_polygon(it):
    w, h = it["width"], it["height"]
    java = np.fromfile(it["mask"], dtype=np.uint8).reshape(h, w).astype(bool)
    res = {"name": it["name"], "points": len(it["points"]), "java_pixels": int(java.sum())}
    for label, shift in (("as_drawn", 0.0), ("shifted", -0.5)):
        pil = pil_fill(it["points"], w, h, shift)
        diff = java != pil
        ys, xs = np.nonzero(diff)
        dist = edge_distance(xs + 0.5, ys + 0.5, it["points"]) if len(xs) else np.zeros(0)
        res[label] = {
            "pil_pixels": int(pil.sum()),
            "differ": int(diff.sum()),
            "java_only": int((java & ~pil).sum()),
            "pil_only": int((pil & ~java).sum()),
            "max_distance_to_outline": float(dist.max()) if len(dist) else 0.0,
            "iou": float((java & pil).sum() / max(1, (java | pil).sum())),
        }
    return res


def main():
    work = sys.argv[1]
    with open(f"{work}/manifest.json") as f:
        manifest = json.load(f)
    print(json.dumps({
        "voc": check_voc(manifest["voc"]),
        "polygons": [check_polygon(p) for p in manifest["polygons"]],
    }))


if __name__ == "__main__":
    main()
