package io.multistore.itests.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The aws command line client as users run it. CI installs it ({@code .ci/run}); on a developer machine without it
 * the tests that need it are skipped with that reason, and in CI its absence is a failure.
 */
final class AwsCli {
    private final URI endpoint;
    private final Path workDir;

    AwsCli(URI endpoint, Path workDir) {
        this.endpoint = endpoint;
        this.workDir = workDir;
    }

    static void requireInstalled() {
        boolean installed = run(List.of("aws", "--version"), Map.of(), Path.of(".")).exitCode() == 0;
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("aws-cli is not installed; .ci/run installs it");
        }
        Assumptions.assumeTrue(installed, "aws-cli is not installed");
    }

    record Result(int exitCode, String output) {
    }

    /** Runs {@code aws --endpoint-url ... ARGS} with the given credentials; fails the test on a non-zero exit. */
    String ok(String accessKey, String secretKey, String... args) {
        Result result = call(accessKey, secretKey, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("aws " + String.join(" ", args) + " exited " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result.output();
    }

    Result call(String accessKey, String secretKey, String... args) {
        return call(Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey), args);
    }

    /** Runs {@code aws --endpoint-url ... ARGS} with exactly this AWS environment (none: unsigned calls). */
    Result call(Map<String, String> awsEnv, String... args) {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString()));
        command.addAll(List.of(args));
        return run(command, awsEnv, workDir);
    }

    /** Runs an AWS client (aws-cli, a boto3 script) with a clean AWS environment plus {@code env}. */
    static Result run(List<String> command, Map<String, String> env, Path dir) {
        try {
            Path output = Files.createTempFile("aws-cli", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> environment = builder.environment();
            // a developer's profile or CA bundle must not leak into the test
            environment.keySet().removeIf(k -> k.startsWith("AWS_"));
            environment.put("AWS_DEFAULT_REGION", "us-east-1");
            environment.put("AWS_CONFIG_FILE", "/dev/null");
            environment.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
            environment.put("AWS_EC2_METADATA_DISABLED", "true");
            environment.put("AWS_PAGER", "");
            environment.putAll(env);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
