package org.robustsam.studio.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.robustsam.studio.model.manager.CancelToken;
import org.robustsam.studio.model.manager.DownloadException;
import org.robustsam.studio.model.manager.ModelDownloader;
import org.robustsam.studio.model.manager.ModelState;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.manager.NamedModel;
import org.robustsam.studio.model.registry.ModelEntry;
import org.robustsam.studio.model.registry.ModelIdentity;
import org.robustsam.studio.model.registry.ModelRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code studio models}: the models the app knows, their state on disk, downloads and local files. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List known models and their state; download one; add a checkpoint from disk.",
        subcommands = {ModelsCommand.Download.class, ModelsCommand.Add.class})
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "Folder holding model files (default: the per-user models folder).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    ModelStore store() {
        return new ModelStore(dir != null ? dir : ModelStore.defaultDir());
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelStore store = store();
        out.printf("%-18s %-10s %-12s %-28s %-15s %s%n", "ID", "FAMILY", "SIZE", "FILE", "STATE", "ON DISK");
        for (ModelEntry m : ModelRegistry.bundled().models()) {
            out.printf("%-18s %-10s %-12s %-28s %-15s %s%n", m.id(), m.family(), m.size(), m.file(),
                    store.stateOf(m).name().toLowerCase().replace('_', ' '), ProgressBar.bytes(store.diskUse(m)));
        }
        for (NamedModel m : store.namedModels()) {
            out.printf("%-18s %-10s %-12s %-28s %-15s %s%n", m.name(), m.family(), m.size(), m.file(),
                    store.stateOf(m.entry()) == ModelState.READY ? "ready" : "file missing",
                    ProgressBar.bytes(store.diskUse(m.entry())));
        }
        out.println("models folder: " + store.dir());
        out.flush();
        return 0;
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Download a model from its official address (resumes a partial download).")
    static final class Download implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "ID", description = "Model id, e.g. sam_vit_b (see `studio models`).")
        String id;

        @Option(names = "--url", description = "Download from this address instead of the official one (mirrors).")
        URI url;

        @Override
        public Integer call() {
            PrintWriter err = parent.spec.commandLine().getErr();
            ModelEntry entry = ModelRegistry.bundled().find(id).orElse(null);
            if (entry == null) {
                err.println("studio models download: unknown model '" + id + "'; run `studio models` for the list");
                return 2;
            }
            ModelStore store = parent.store();
            ProgressBar bar = new ProgressBar(err, entry.file());
            try {
                new ModelDownloader().download(url != null ? url : URI.create(entry.url()), store.dir().resolve(entry.file()),
                        entry.sha256(), entry.sha256() != null ? entry.approxBytes() : 0, bar::update, new CancelToken());
            } catch (DownloadException e) {
                bar.finish();
                err.println("studio models download: " + e.getMessage());
                return 1;
            }
            bar.finish();
            parent.spec.commandLine().getOut().println(entry.id() + " ready: " + store.fileOf(entry));
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Register a checkpoint file on disk; its family and size are read from its contents.",
                "Without --name it takes the registry model's place (e.g. robustsam_vit_b); with --name it is listed "
                    + "beside the registry's models."})
    static final class Add implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--name", paramLabel = "NAME", description = "List it under this name of its own (e.g. a "
                + "fine-tuned model) instead of in the registry model's place.")
        String name;

        @Override
        public Integer call() {
            try {
                if (name != null) {
                    NamedModel m = parent.store().addNamed(name, file);
                    parent.spec.commandLine().getOut().println(file + ": " + m.family() + " " + m.size()
                            + ", registered as \"" + m.name() + "\"");
                    return 0;
                }
                ModelIdentity identity = parent.store().addLocal(file);
                parent.spec.commandLine().getOut().println(file + ": " + identity.family() + " " + identity.size()
                        + ", registered as " + identity.registryId());
                return 0;
            } catch (Exception e) {
                parent.spec.commandLine().getErr().println("studio models add: " + e.getMessage());
                return 1;
            }
        }
    }
}
