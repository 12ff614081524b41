package org.robustsam.studio.train;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a fine-tuning job as a separate JVM ({@code java -cp <this app's class path>
 * org.robustsam.studio.cli.StudioCli train --config JOB --no-register [--resume]}), so a crash or an
 * out-of-memory in training cannot take the annotation session down (the app registers the finished
 * model itself, hence {@code --no-register}), and streams the job's
 * {@link TrainingEvent}s (JSON lines on its standard output) to a listener on a reader thread.
 * The job's error stream (progress bar, messages) goes to {@code job.log} in its output folder.
 *
 * <p>{@link Job#cancel()} sends SIGTERM (the job checkpoints at the next step boundary if it can)
 * and kills the process for good after {@link #CANCEL_GRACE_MILLIS}.
 */
public final class TrainingJobLauncher {
    public static final long CANCEL_GRACE_MILLIS = 2000;
    static final String MAIN_CLASS = "org.robustsam.studio.cli.StudioCli";

    /** Called on the job's reader threads. */
    public interface Listener {
        void onEvent(TrainingEvent event);

        /** The process ended with this exit code (0 done, 3 stopped, others failed). */
        default void onExit(int exitCode) {}
    }

    private final List<String> jvmOptions;

    /** A launcher giving the job JVM a 4 GiB heap (enough for ViT-B training). */
    public TrainingJobLauncher() {
        this(List.of("-Xmx4g"));
    }

    public TrainingJobLauncher(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Starts the job described by {@code config} (checked here first, so a bad file fails at once
     * with a message naming the field rather than in the child).
     */
    public Job start(Path config, boolean resume, Listener listener) throws IOException, TrainingConfigException {
        TrainingConfig c = TrainingConfig.read(config);
        Path output = c.outputFolder(config);
        Files.createDirectories(output);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        for (String p : List.of("ai.djl.offline", "PYTORCH_FLAVOR", "ai.djl.pytorch.num_interop_threads")) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(MAIN_CLASS);
        cmd.add("train");
        cmd.add("--config");
        cmd.add(config.toAbsolutePath().toString());
        cmd.add("--no-register"); // the app registers the model itself, in the models folder it shows
        if (resume) {
            cmd.add("--resume");
        }
        Path log = output.resolve("job.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = pb.start();
        process.getOutputStream().close();
        return new Job(process, output, log, listener);
    }

    /** This JVM's class path (and module path, where the app was started on one). */
    static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String p : List.of("java.class.path", "jdk.module.path")) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                parts.add(v);
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /** A running (or finished) job process. */
    public static final class Job {
        private final Process process;
        private final Path output;
        private final Path log;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private volatile TrainingEvent last;

        Job(Process process, Path output, Path log, Listener listener) {
            this.process = process;
            this.output = output;
            this.log = log;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        TrainingEvent.parse(line).ifPresentOrElse(e -> {
                            last = e;
                            listener.onEvent(e);
                        }, () -> { });
                    }
                } catch (IOException e) {
                    // the process went away; its exit code tells
                }
                int code;
                try {
                    code = process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    code = -1;
                }
                listener.onExit(code);
                exit.complete(code);
            }, "training-job-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The job's output folder (checkpoints, events.jsonl, job.log). */
        public Path output() {
            return output;
        }

        /** The job process's error stream, as written so far. */
        public Path log() {
            return log;
        }

        /** The latest event received. */
        public TrainingEvent lastEvent() {
            return last;
        }

        /**
         * Stops the job: SIGTERM (it checkpoints at a step boundary when it can), then SIGKILL
         * after {@link #CANCEL_GRACE_MILLIS} if it is still there. Returns at once.
         */
        public void cancel() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            process.onExit().completeOnTimeout(null, CANCEL_GRACE_MILLIS, TimeUnit.MILLISECONDS).thenAccept(p -> {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            });
        }

        /** SIGKILL at once (what a crash looks like: no checkpoint beyond the periodic ones). */
        public void kill() {
            process.destroyForcibly();
        }

        /** Waits for the process and the last event to be read; the exit code, or -1 on timeout. */
        public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            try {
                return exit.get(timeout, unit);
            } catch (java.util.concurrent.TimeoutException e) {
                return -1;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Completes with the exit code once the process ended and its output was read. */
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        /** The last lines of {@link #log()}, for error messages. */
        public String logTail(int lines) {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "";
            }
        }
    }
}
