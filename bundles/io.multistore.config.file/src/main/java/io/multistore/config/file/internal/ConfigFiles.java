package io.multistore.config.file.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a configuration file pair outside OSGi, with the same parser and rules as the provider: for the
 * {@code import} command, which runs the bundle jars as a plain class path. Not part of any exported API.
 */
public final class ConfigFiles {

    /** Everything a pair of files defines, in file order, and what is worth a warning. */
    public record Contents(List<BucketConfig> buckets, List<RoleConfig> roles, List<StoredCredential> credentials,
            List<String> warnings) {
    }

    private ConfigFiles() {
    }

    /**
     * @param sts the STS file, or {@code null}
     * @throws ConfigFileException listing every problem
     */
    public static Contents read(Path main, Path sts) throws IOException {
        ConfigSnapshot s = ConfigParser.parse(source(main), sts == null ? null : source(sts));
        return new Contents(s.bucketList(), List.copyOf(s.roles().values()), List.copyOf(s.credentials().values()),
                s.warnings());
    }

    private static ConfigParser.Source source(Path file) throws IOException {
        return new ConfigParser.Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }
}
