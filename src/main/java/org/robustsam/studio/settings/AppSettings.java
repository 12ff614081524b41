package org.robustsam.studio.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the app remembers between runs, stored as JSON in the user's config folder
 * ({@code $XDG_CONFIG_HOME/robustsam-studio/settings.json}, overridable with {@code -Dstudio.config.dir}).
 * A damaged file is set aside (renamed {@code .broken}) and defaults are used, so it never blocks start-up.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class AppSettings {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String lastFolder;
    public double windowX = Double.NaN;
    public double windowY = Double.NaN;
    public double windowWidth = 1280;
    public double windowHeight = 820;
    public boolean maximized;
    /** Checkpoint of the model last used for prompting. */
    public String modelPath;
    /** Folder for downloaded models chosen in the Model Manager; null means the per-user default. */
    public String modelsDir;
    /** Degradation advisor: prompt with RobustSAM on photos whose quality is below the threshold, SAM on the others. */
    public boolean autoRobustSam;
    /** Quality (0..1, 1 = clean) below which RobustSAM is used when {@link #autoRobustSam} is on. */
    public double autoRobustSamThreshold = 0.7;
    /** The SAM checkpoint the auto-switch uses; null means the first SAM found in the models folder. */
    public String samModelPath;
    /** The RobustSAM checkpoint the auto-switch uses; null means the first RobustSAM found in the models folder. */
    public String robustSamModelPath;

    public static Path configDir() {
        String override = System.getProperty("studio.config.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("robustsam-studio");
    }

    public static Path defaultFile() {
        return configDir().resolve("settings.json");
    }

    public static AppSettings load(Path file) {
        if (!Files.isRegularFile(file)) {
            return new AppSettings();
        }
        try {
            AppSettings s = JSON.readValue(file.toFile(), AppSettings.class);
            return s != null ? s : new AppSettings();
        } catch (IOException e) {
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".broken"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // Keep going with defaults; the next save overwrites the damaged file.
            }
            return new AppSettings();
        }
    }

    /** Writes atomically (temp file + rename) so a crash mid-write leaves the old settings intact. */
    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
