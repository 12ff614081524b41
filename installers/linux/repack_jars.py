#!/usr/bin/env python3
"""Rewrites the app's jars for a smaller Linux x86-64 package.

Usage: repack_jars.py JAR...

* Entries are stored, not deflated: the .deb compresses its whole payload with xz, which packs
  stored class files and resources about twice as tightly as xz over already-deflated jars.
* Native libraries for other platforms are dropped from the two jars that carry many
  (JNA's jnidispatch, DJL's JNI glue incl. its CUDA build); this package only runs on Linux x86-64
  with the CPU libtorch. Other jars keep every entry.

Entry order, names, times and contents are otherwise unchanged, so the jars behave as before.
"""
import os
import re
import sys
import zipfile

NATIVE = re.compile(r"\.(so|dll|dylib|jnilib|a)$")
# Jar file name prefix -> natives to keep (all other natives in that jar are dropped).
KEEP_NATIVES = {
    "jna-": re.compile(r"^com/sun/jna/linux-x86-64/"),
    "pytorch-jni-": re.compile(r"^jnilib/linux-x86_64/cpu/"),
}


def repack(path):
    keep = next((rx for prefix, rx in KEEP_NATIVES.items() if os.path.basename(path).startswith(prefix)), None)
    tmp = path + ".tmp"
    dropped = 0
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if keep is not None and NATIVE.search(info.filename) and not keep.search(info.filename):
                dropped += 1
                continue
            out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out.external_attr = info.external_attr
            out.compress_type = zipfile.ZIP_STORED
            dst.writestr(out, src.read(info.filename))
    os.replace(tmp, path)
    return dropped


def main(jars):
    if not jars:
        print(__doc__, file=sys.stderr)
        return 2
    before = after = dropped = 0
    for jar in jars:
        before += os.path.getsize(jar)
        dropped += repack(jar)
        after += os.path.getsize(jar)
    print(f"[installer] repacked {len(jars)} jars, entries stored: {before} -> {after} bytes;"
          f" {dropped} other-platform natives dropped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
