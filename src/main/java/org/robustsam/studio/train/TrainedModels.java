package org.robustsam.studio.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.manager.NamedModel;

/**
 * Puts a finished job's model in the model picker: registered with the {@link ModelStore} under the
 * job's name and the time it finished, e.g. {@code street-fog (2025-01-05 14:03)}, so it can be
 * told apart from the official RobustSAM of the same size and from earlier runs of the job.
 */
public final class TrainedModels {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private TrainedModels() {}

    public static String nameFor(String job, LocalDateTime finished) {
        return job + " (" + WHEN.format(finished) + ")";
    }

    /** Registers {@code model} (a job's final model file) as {@link #nameFor} the job, now. */
    public static NamedModel register(ModelStore store, String job, Path model) throws IOException {
        return store.addNamed(nameFor(job, LocalDateTime.now()), model);
    }
}
