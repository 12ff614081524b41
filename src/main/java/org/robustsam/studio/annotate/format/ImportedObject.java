package org.robustsam.studio.annotate.format;

import org.robustsam.studio.annotate.mask.CocoRle;

/** An instance read from a file, not yet in a project. Kept as RLE: a big COCO file holds many masks. */
public record ImportedObject(String label, CocoRle mask) {}
