package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.ObjectStore;
import io.multistore.backend.conformance.Feature;
import io.multistore.backend.conformance.ObjectStoreConformance;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import io.multistore.testsupport.S3ProxyServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared backend contract, run against the S3 store on a real S3 server: S3Proxy with its in-memory store.
 * Object bodies go through the data plane (signed exchanges on the shared transport), the rest through the SDK.
 * <p>
 * Every opt-out below is a limit of S3Proxy, not of this store; against AWS S3 those requests pass through to S3
 * itself. S3Proxy 4.x keeps objects as files in a file tree (its {@code transient} store is the same code as its
 * {@code filesystem} store, on an in-memory file system), which is where most of them come from. Its
 * {@code filesystem} store fails exactly the same tests, so the faster in-memory one is used.
 */
class S3ObjectStoreConformanceTest extends ObjectStoreConformance {

    private static S3ProxyServer s3proxy;
    private static PooledHttpTransport transport;

    @BeforeAll
    static void startS3Proxy() {
        s3proxy = S3ProxyServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
    }

    @AfterAll
    static void stopS3Proxy() {
        if (transport != null) {
            transport.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @Override
    protected ObjectStore newStore() {
        String bucket = s3proxy.createBucket();
        return new S3Backend(transport).open(new BucketConfig("virtual", "s3", "", false, List.of(), Map.of(
                "endpoint", s3proxy.endpoint(),
                "bucket_name", bucket,
                "access_key_id", s3proxy.identity(),
                "secret_access_key", s3proxy.credential())));
    }

    @Override
    protected String unsupportedKey(String key) {
        if (key.startsWith("//")) {
            return "S3Proxy answers 400 to a key starting with '//'";
        }
        if (key.contains("//") || key.contains("/./") || key.contains("/../")) {
            return "S3Proxy's file tree collapses empty, '.' and '..' path segments of a key (a//b is stored as a/b)";
        }
        if (key.endsWith("/")) {
            return "S3Proxy keeps a key ending in '/' as a directory and reports it empty";
        }
        return null;
    }

    @Override
    protected String unsupported(Feature feature) {
        return switch (feature) {
            case LIST_PARTS_PAGING -> "S3Proxy ignores max-parts and answers part-number-marker with 501";
            case SUPPLEMENTARY_CHARACTER_ORDER -> "S3Proxy lists keys in UTF-16 order, not UTF-8 byte order";
            case OBJECT_AND_PREFIX -> "S3Proxy's file tree cannot hold a and a/b at once (500 DirectoryNotEmpty)";
            case OTHER_DELIMITERS -> "S3Proxy answers 400 to a list delimiter other than '/'";
            case CONTENT_TYPE_VERBATIM -> "S3Proxy re-serialises Content-Type ('text/plain;charset=utf-8')";
            case UPLOAD_ID_VALIDATION -> "S3Proxy takes and lists parts of unknown, aborted and completed uploads";
            case PART_ORDER_VALIDATION -> "S3Proxy completes uploads whose parts are not in ascending order";
            default -> null;
        };
    }
}
