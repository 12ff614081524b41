package org.robustsam.studio.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Entry point to DJL's PyTorch engine for the whole product.
 *
 * <p>Forces the offline, CPU-or-bundled-native configuration before DJL first initialises, so a
 * user without internet never sees DJL try to download libtorch.
 */
public final class Engines {
    public static final String ENGINE_NAME = "PyTorch";

    private Engines() {}

    /** The C library's setenv, to change this process's environment before libtorch loads. */
    private interface CLibrary extends com.sun.jna.Library {
        int setenv(String name, String value, int overwrite);
    }

    private static volatile boolean openMpConfigured;

    /**
     * Makes libtorch's OpenMP threads sleep instead of spin while they wait. The app runs the image
     * encoder in the background while the prompt decoder answers clicks: with spinning threads two
     * concurrent op streams on two cores slowed the decoder about eight-fold (1.1 s instead of 0.13 s
     * per prompt, measured on the tiny model). Must run before libtorch loads; a value the user set
     * in the environment is kept.
     */
    static void configureOpenMp() {
        if (openMpConfigured) {
            return;
        }
        openMpConfigured = true;
        if (System.getenv("OMP_WAIT_POLICY") != null || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac")) {
            return;
        }
        try {
            CLibrary c = com.sun.jna.Native.load("c", CLibrary.class);
            c.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        } catch (RuntimeException | LinkageError e) {
            // Without it inference is still correct, only slower under contention.
        }
    }

    /** Sets the properties DJL reads at first use; harmless when they are already set. */
    public static void configureOffline() {
        configureOpenMp();
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("PYTORCH_FLAVOR") == null && System.getenv("PYTORCH_FLAVOR") == null) {
            // The jar on the class path decides; "cpu" matches the default build.
            System.setProperty("PYTORCH_FLAVOR", BuildInfo.pytorchFlavor());
        }
        // The installed app (its launcher sets studio.installed) carries libtorch itself; DJL then only
        // unpacks its small JNI glue, into the app's own per-user cache rather than ~/.djl.ai.
        if (Boolean.getBoolean("studio.installed") && System.getProperty("ENGINE_CACHE_DIR") == null
                && System.getenv("ENGINE_CACHE_DIR") == null) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            java.nio.file.Path base = xdg != null && !xdg.isBlank() ? java.nio.file.Path.of(xdg)
                    : java.nio.file.Path.of(System.getProperty("user.home"), ".cache");
            System.setProperty("ENGINE_CACHE_DIR", base.resolve("robustsam-studio").resolve("djl").toString());
        }
        // Interactive use on small machines: do not oversubscribe the cores with inter-op threads.
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /** The PyTorch engine, loaded from the native jar on the class path. */
    public static Engine pytorch() {
        configureOffline();
        return Engine.getEngine(ENGINE_NAME);
    }

    /** The folder libtorch was loaded from (starts the engine when it is not running yet). */
    public static java.nio.file.Path nativeLibraryDir() {
        pytorch();
        return java.nio.file.Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
    }

    /** The device inference runs on: the first GPU when DJL sees one, else the CPU. */
    public static Device preferredDevice() {
        Engine engine = pytorch();
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** Human-readable device name for the status bar, e.g. "CPU (2 threads)" or "GPU 0 (CUDA)". */
    public static String describeDevice() {
        try {
            Engine engine = pytorch();
            if (engine.getGpuCount() > 0) {
                return "GPU " + Device.gpu().getDeviceId() + " (CUDA, " + engine.getGpuCount() + " visible)";
            }
            return "CPU (" + Runtime.getRuntime().availableProcessors() + " cores, PyTorch " + engine.getVersion() + ")";
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "engine unavailable: " + e.getMessage();
        }
    }
}
