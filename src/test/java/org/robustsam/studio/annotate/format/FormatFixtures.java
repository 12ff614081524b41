package org.robustsam.studio.annotate.format;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFixtures;

/** Project folders with real (tiny) image files, for importer and exporter tests. */
final class FormatFixtures {
    private FormatFixtures() {}

    /** Writes a grey w x h image in the format its extension names. */
    static Path image(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        String name = file.getFileName().toString();
        String format = name.endsWith(".png") ? "png" : "jpg";
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    /** {@link ProjectFixtures#twoImages} with its two images on disk. */
    static Project twoImagesOnDisk(Path folder) throws IOException {
        image(folder.resolve("a.jpg"), 40, 30);
        image(folder.resolve("sub").resolve("b.png"), 20, 10);
        return ProjectFixtures.twoImages(folder);
    }
}
