package org.robustsam.studio;

import javafx.application.Application;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.ui.SmokeRun;
import org.robustsam.studio.ui.StudioApp;

/**
 * Starts the desktop app. A plain main class (not an {@code Application} subclass) so the app runs
 * from the class path with JavaFX as ordinary jars; DJL's offline settings are fixed before anything loads.
 * {@code --smoke} runs the installation check instead ({@link SmokeRun}) and exits with its result.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        Engines.configureOffline();
        if (java.util.Arrays.asList(args).contains(SmokeRun.FLAG)) {
            System.exit(SmokeRun.run());
        }
        Application.launch(StudioApp.class, args);
    }
}
