package org.robustsam.studio.ui;

import org.robustsam.studio.image.RgbImage;

/** A full-size degraded image and the choice that made it. */
public record DegradedPreview(DegradationChoice choice, RgbImage image) {}
