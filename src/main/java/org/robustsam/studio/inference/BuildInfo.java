package org.robustsam.studio.inference;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts Maven filters into {@code build-info.properties} at build time. */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/robustsam/studio/build-info.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // Defaults below are used.
        }
        return p;
    }

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    public static String pytorchFlavor() {
        return PROPS.getProperty("pytorch.flavor", "cpu");
    }
}
