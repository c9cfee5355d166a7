package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * rclone as a new user runs it: a tree of text files copied up through the distribution and back down, byte for
 * byte, each object keeping the Content-Type rclone sent ({@code text/plain; charset=utf-8} and friends, whose
 * lowercase charset Jetty's header cache used to re-spell, failing every signature). CI installs rclone
 * ({@code .ci/run}); without it the test is skipped, and in CI its absence is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RcloneE2ETest {
    @TempDir
    static Path temp;

    LocalGateway gateway;
    MultistoreServer server;
    S3Client client;

    @BeforeAll
    void start() throws Exception {
        gateway = LocalGateway.start(temp, false, LocalGateway.objectActions(), Map.of());
        server = gateway.server;
        client = gateway.client;
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void rcloneCopiesATreeOfTextFilesUpAndBackByteExactWithTheirContentTypes() throws Exception {
        requireInstalled();
        Path up = Files.createDirectories(temp.resolve("up"));
        Map<String, String> files = new TreeMap<>();
        files.put("notes.txt", "plain text\nwith two lines\n");
        files.put("docs/index.html", "<!doctype html><p>caf\u00e9</p>\n");
        files.put("docs/style.css", "p { color: red; }\n");
        files.put("docs/app.js", "console.log('x');\n");
        files.put("data/table.csv", "a,b\n1,2\n");
        files.put("data/record.json", "{\"k\": \"v\"}\n");
        files.put("data/deep/er/readme.md", "# title\n");
        files.put("data/deep/\u00fcnicode name.txt", "\u00fcml\u00e4ut\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = up.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }

        rclone("copy", up.toString(), "gw:local/tree");

        // what rclone sent is what it reads from the file names; the gateway must have kept it byte for byte
        Map<String, String> sent = mimeTypes(rclone("lsjson", "-R", "--files-only", up.toString()));
        Map<String, String> stored = mimeTypes(rclone("lsjson", "-R", "--files-only", "gw:local/tree"));
        assertEquals(sent, stored);
        assertTrue(sent.containsValue("text/plain; charset=utf-8"), sent::toString);
        for (Map.Entry<String, String> file : sent.entrySet()) {
            assertEquals(file.getValue(),
                    client.headObject(b -> b.bucket("local").key("tree/" + file.getKey())).contentType(),
                    file.getKey());
        }

        Path down = temp.resolve("down");
        rclone("copy", "gw:local/tree", down.toString());
        for (Map.Entry<String, String> file : files.entrySet()) {
            assertArrayEquals(file.getValue().getBytes(StandardCharsets.UTF_8),
                    Files.readAllBytes(down.resolve(file.getKey())), file.getKey());
        }
        try (Stream<Path> all = Files.walk(down)) {
            assertEquals(files.size(), all.filter(Files::isRegularFile).count());
        }
        rclone("check", up.toString(), "gw:local/tree");
    }

    private static final Pattern ENTRY = Pattern.compile("\"Path\":\"([^\"]*)\".*?\"MimeType\":\"([^\"]*)\"");

    private static Map<String, String> mimeTypes(String lsjson) {
        Map<String, String> types = new TreeMap<>();
        Matcher m = ENTRY.matcher(lsjson);
        while (m.find()) {
            types.put(m.group(1), m.group(2));
        }
        return types;
    }

    private static void requireInstalled() throws Exception {
        boolean installed;
        try {
            installed = new ProcessBuilder("rclone", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            installed = false;
        }
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("rclone is not installed; .ci/run installs it");
        }
        Assumptions.assumeTrue(installed, "rclone is not installed");
    }

    /** Runs rclone against the gateway as remote {@code gw:}, configured only through the environment. */
    private String rclone(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("rclone", "--config", "/dev/null", "--s3-no-check-bucket",
                "--retries", "1", "--low-level-retries", "1"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(temp, "rclone", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        // an inherited CA bundle or AWS profile breaks or redirects rclone (PLATFORM-NOTES)
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("RCLONE_"));
        env.put("RCLONE_CONFIG_GW_TYPE", "s3");
        env.put("RCLONE_CONFIG_GW_PROVIDER", "Other");
        env.put("RCLONE_CONFIG_GW_ENDPOINT", server.endpoint().toString());
        env.put("RCLONE_CONFIG_GW_REGION", "us-east-1");
        env.put("RCLONE_CONFIG_GW_FORCE_PATH_STYLE", "true");
        env.put("RCLONE_CONFIG_GW_ACCESS_KEY_ID", E2E.KEY);
        env.put("RCLONE_CONFIG_GW_SECRET_ACCESS_KEY", E2E.SECRET);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rclone " + String.join(" ", args) + " timed out");
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("rclone " + String.join(" ", args) + " exited " + process.exitValue() + ":\n"
                    + out + "\nserver log:\n" + server.log());
        }
        return out;
    }
}
