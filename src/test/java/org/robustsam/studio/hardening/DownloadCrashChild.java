package org.robustsam.studio.hardening;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.robustsam.studio.model.manager.CancelToken;
import org.robustsam.studio.model.manager.ModelDownloader;

/**
 * Downloads a model file, printing "BYTES n" as bytes arrive, until the hardening suite kills it.
 * Arguments: URL, target file, SHA-256, size in bytes.
 */
public final class DownloadCrashChild {
    private DownloadCrashChild() {}

    public static void main(String[] args) throws Exception {
        ModelDownloader d = new ModelDownloader(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                Duration.ofSeconds(30));
        System.out.println("READY");
        d.download(URI.create(args[0]), Path.of(args[1]), args[2], Long.parseLong(args[3]), p -> {
            System.out.println("BYTES " + p.bytesDone());
            System.out.flush();
        }, new CancelToken());
        System.out.println("DONE");
    }
}
