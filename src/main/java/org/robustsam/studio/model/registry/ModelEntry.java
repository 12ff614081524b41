package org.robustsam.studio.model.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One downloadable model: family (SAM, RobustSAM, MobileSAM), encoder size, the official file name
 * and URL, its SHA-256 when the publisher states one, and the expected size for progress and checks.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelEntry(String id, String family, String size, String file, String url, String sha256, long approxBytes) {}
