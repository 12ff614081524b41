package org.robustsam.studio.cli;

import org.robustsam.studio.inference.BuildInfo;
import org.robustsam.studio.inference.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code studio}: batch work from the same build as the app. */
@Command(name = "studio",
        mixinStandardHelpOptions = true,
        versionProvider = StudioCli.Version.class,
        description = "RobustSAM Studio command line: batch embedding, degradation, quality assessment, evaluation, training and benchmarks.",
        subcommands = {ModelsCommand.class, EmbedCommand.class, BenchCommand.class, DegradeCommand.class, AssessCommand.class,
                ExportCommand.class, ImportCommand.class, EvalCommand.class, TrainCommand.class,
                CommandLine.HelpCommand.class})
public final class StudioCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        Engines.configureOffline();
        return new CommandLine(new StudioCli()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"studio " + BuildInfo.version() + " (RobustSAM Studio, libtorch flavour " + BuildInfo.pytorchFlavor() + ")"};
        }
    }
}
