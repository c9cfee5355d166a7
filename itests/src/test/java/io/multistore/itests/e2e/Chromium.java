package io.multistore.itests.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Debian's headless {@code chromium} (installed by {@code .ci/run}). */
final class Chromium {

    private Chromium() {
    }

    static String executable() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new IllegalStateException("chromium is not installed (apt-get install chromium; .ci/run does it)");
    }
}
