package io.multistore.itests.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The distribution serving one filesystem bucket, {@code local}, to {@link E2E#KEY}: a private copy of the
 * distribution under {@code temp}, started and awaited, with a path-style SDK client.
 */
final class LocalGateway implements AutoCloseable {
    final Path root;
    final MultistoreServer server;
    final S3Client client;

    private LocalGateway(Path root, MultistoreServer server, S3Client client) {
        this.root = root;
        this.server = server;
        this.client = client;
    }

    /**
     * @param anonymous whether anonymous reads of {@code local} are allowed
     * @param actions   the actions {@link E2E#KEY} may take on {@code local}
     * @param env       extra environment of the server ({@code JAVA_OPTS})
     */
    static LocalGateway start(Path temp, boolean anonymous, List<String> actions, Map<String, String> env)
            throws Exception {
        Path root = temp.resolve("buckets/local");
        Path config = temp.resolve("config.toml");
        Files.writeString(config, E2E.fsConfig(root, anonymous, "local-e2e",
                String.join(", ", actions.stream().map(a -> "\"" + a + "\"").toList())));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        MultistoreServer server = MultistoreServer.start(home, config, List.of(), env);
        S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        LocalGateway gateway = new LocalGateway(root, server, client);
        try {
            E2E.awaitReady(client, server, "local");
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** Everything an S3 client does with objects, multipart included. */
    static List<String> objectActions() {
        return List.of("get_object", "head_object", "put_object", "delete_object", "list_bucket",
                "create_multipart_upload", "upload_part", "complete_multipart_upload", "abort_multipart_upload",
                "list_parts", "list_multipart_uploads");
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
