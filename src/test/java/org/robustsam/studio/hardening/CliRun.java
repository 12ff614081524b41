package org.robustsam.studio.hardening;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.robustsam.studio.cli.StudioCli;
import picocli.CommandLine;

/** Runs the {@code studio} command line in this JVM and turns its outcome into a case outcome. */
final class CliRun {
    /** The command refused its input with a message (exit code not 0, no stack trace). */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    record Result(int exit, String out, String err) {}

    private CliRun() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /**
     * Runs and throws {@link Refused} with the error output when the command failed cleanly; a stack
     * trace in the output (an exception picocli caught for us) is a crash.
     */
    static Result runOrRefuse(String... args) throws Refused {
        Result r = run(args);
        if (r.err().contains("\tat ") || r.err().contains("Exception in")) {
            throw new IllegalStateException("the command crashed:\n" + r.err());
        }
        if (r.exit() != 0) {
            throw new Refused(r.err().strip());
        }
        return r;
    }
}
