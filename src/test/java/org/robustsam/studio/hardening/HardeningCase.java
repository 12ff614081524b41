package org.robustsam.studio.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One bad or extreme input with its written-down expected outcome.
 *
 * @param entry      the entry point the input goes through
 * @param name       short description, shown as the test name
 * @param expect     what must happen
 * @param subject    the file the error message must name (its file name must appear in the message);
 *                   null for {@link Expect#HANDLED} cases
 * @param mustSay    further text the message must contain (e.g. the refused global), or null
 * @param userFiles  files and folders whose bytes must be the same after the case (the user's work)
 * @param action     runs the input through the entry point; for HANDLED cases it also checks the
 *                   result and throws {@link AssertionError} when it is wrong
 * @param timeout    how long the case may take before it counts as a hang
 */
public record HardeningCase(EntryPoint entry, String name, Expect expect, Path subject, String mustSay,
                            List<Path> userFiles, Action action, Duration timeout, Set<Class<? extends Exception>> clearErrors) {
    /** What the case is expected to end in. */
    public enum Expect {
        /** Refused with a message that names the file and says what is wrong. */
        REJECTED_WITH_MESSAGE,
        /** Accepted and handled correctly (the action checks the result). */
        HANDLED
    }

    /** Where an input enters the app. */
    public enum EntryPoint {
        IMAGE("images"), CHECKPOINT("checkpoints"), PROJECT("project files"), IMPORT("import files"),
        EXPORT("exports"), JOB_CONFIG("job configs"), FAULT("faults");

        public final String plural;

        EntryPoint(String plural) {
            this.plural = plural;
        }
    }

    /** The input run through its entry point. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public HardeningCase {
        Objects.requireNonNull(entry);
        Objects.requireNonNull(name);
        Objects.requireNonNull(expect);
        Objects.requireNonNull(action);
        userFiles = List.copyOf(userFiles);
        clearErrors = Set.copyOf(clearErrors);
        if (expect == Expect.REJECTED_WITH_MESSAGE && subject == null) {
            throw new IllegalArgumentException(name + ": a rejection must name a file");
        }
    }

    @Override
    public String toString() {
        return entry + ": " + name;
    }
}
