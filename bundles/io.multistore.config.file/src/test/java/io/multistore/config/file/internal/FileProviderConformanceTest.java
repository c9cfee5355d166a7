package io.multistore.config.file.internal;

import io.multistore.api.config.ConfigChangeListener.Kind;
import io.multistore.api.config.ConfigProvider;
import io.multistore.config.conformance.ConfigProviderConformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The file provider over a {@code config.json}, rewritten (atomically, as editors save) on every change. */
class FileProviderConformanceTest extends ConfigProviderConformance {

    @TempDir
    Path dir;

    private final Map<Kind, Map<String, String>> records = new EnumMap<>(Kind.class);
    private FileConfigProvider provider;

    @Override
    protected void put(Kind kind, String id, String json) throws Exception {
        records.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(id, json);
        write();
    }

    @Override
    protected void delete(Kind kind, String id) throws Exception {
        records.getOrDefault(kind, Map.of()).remove(id);
        write();
    }

    @Override
    protected ConfigProvider start() {
        provider = new FileConfigProvider(dir.resolve("config.json"), null, 20);
        return provider;
    }

    @Override
    protected void stop() {
        provider.close();
    }

    @Override
    protected boolean rejectsInvalidRecordsAlone() {
        return false;
    }

    @Override
    protected Duration changeVisibleWithin() {
        return Duration.ofSeconds(1);
    }

    private void write() throws Exception {
        StringBuilder sb = new StringBuilder("{");
        String[] keys = {"buckets", "roles", "credentials"};
        for (Kind kind : Kind.values()) {
            sb.append(kind.ordinal() == 0 ? "" : ",\n").append('"').append(keys[kind.ordinal()]).append("\": [\n");
            sb.append(String.join(",\n", records.getOrDefault(kind, Map.of()).values())).append("]");
        }
        Path tmp = dir.resolve("config.json.tmp");
        Files.writeString(tmp, sb.append("}\n"));
        Files.move(tmp, dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
