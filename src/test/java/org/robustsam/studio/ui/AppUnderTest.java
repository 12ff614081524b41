package org.robustsam.studio.ui;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.robustsam.studio.settings.AppSettings;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole app in a TestFX test, with the system properties it reads set for this test only:
 * {@link #start} forgets remembered settings and starts it; {@link #stop} closes every window it
 * opened, stops it (unless the test already did, or never started it) and puts the properties back
 * as they were.
 */
final class AppUnderTest {
    private final Map<String, String> saved = new LinkedHashMap<>();
    private StudioApp app;
    private Stage mainStage;

    /** Sets a property for this test ({@code null} clears it). */
    AppUnderTest set(String key, String value) {
        saved.putIfAbsent(key, System.getProperty(key));
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
        return this;
    }

    StudioApp start(Stage stage) throws Exception {
        Files.deleteIfExists(AppSettings.defaultFile());
        mainStage = stage;
        app = new StudioApp();
        app.start(stage);
        return app;
    }

    /** Stops the app now, for a test that checks what a clean close leaves; {@link #stop} then only tidies up. */
    void stopApp() throws Exception {
        StudioApp running = app;
        app = null;
        if (running != null) {
            WaitForAsyncUtils.asyncFx(running::stop).get(30, TimeUnit.SECONDS);
        }
    }

    void stop() throws Exception {
        StudioApp running = app;
        app = null;
        WaitForAsyncUtils.asyncFx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) {
                if (w != mainStage && w instanceof Stage s) {
                    s.close();
                }
            }
            if (running != null) {
                running.stop();
            }
        }).get(30, TimeUnit.SECONDS);
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        saved.clear();
    }
}
