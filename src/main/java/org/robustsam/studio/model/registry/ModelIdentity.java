package org.robustsam.studio.model.registry;

/** What a checkpoint file holds, read from its tensor names and shapes. */
public record ModelIdentity(String family, String size) {
    /** The registry id this identity corresponds to, e.g. {@code robustsam_vit_b} or {@code mobile_sam}. */
    public String registryId() {
        return switch (family) {
            case "MobileSAM" -> "mobile_sam";
            case "RobustSAM" -> "robustsam_" + size;
            default -> "sam_" + size;
        };
    }
}
