package io.multistore.config.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.config.ConfigChangeListener.Kind;
import io.multistore.api.config.ConfigProvider;
import io.multistore.config.conformance.ConfigProviderConformance;
import io.multistore.testsupport.ControlPlaneServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP provider against a real HTTP control plane (the JDK's server) that requires a bearer token. */
class HttpProviderConformanceTest extends ConfigProviderConformance {

    private static final String TOKEN = "conformance-token";

    private ControlPlaneServer controlPlane;
    private HttpConfigProvider provider;

    private ControlPlaneServer controlPlane() throws Exception {
        if (controlPlane == null) {
            controlPlane = ControlPlaneServer.start(TOKEN);
        }
        return controlPlane;
    }

    private static String collection(Kind kind) {
        return switch (kind) {
            case BUCKET -> "buckets";
            case ROLE -> "roles";
            case CREDENTIAL -> "credentials";
        };
    }

    @Override
    protected void put(Kind kind, String id, String json) throws Exception {
        controlPlane().put(collection(kind), id, json);
    }

    @Override
    protected void delete(Kind kind, String id) throws Exception {
        controlPlane().delete(collection(kind), id);
    }

    @Override
    protected ConfigProvider start() throws Exception {
        provider = new HttpConfigProvider(controlPlane().endpoint() + "/", "Bearer " + TOKEN, Duration.ofSeconds(2),
                Duration.ofSeconds(5), "");
        return provider;
    }

    @Override
    protected void stop() {
        controlPlane.close();
    }

    @Override
    protected boolean storesTextThatIsNotJson() {
        return false; // the listing is one JSON document
    }

    @Override
    protected boolean takeStoreDown() {
        controlPlane.stop();
        return true;
    }

    @Override
    protected void bringStoreBack() throws Exception {
        controlPlane.restart();
    }

    @Test
    void oddIdsNeverReachTheControlPlane() {
        int before = controlPlane.requests().size();
        for (String odd : List.of("..", "a/b", "../roles/ci", "x\u0000y", "", ".")) {
            assertTrue(provider.bucket(odd).isEmpty());
        }
        assertEquals(before, controlPlane.requests().size(), controlPlane.requests()::toString);
        // characters that are fine in an id travel percent-encoded and arrive as they were
        provider.bucket("a b?c#d%e");
        assertEquals("/buckets/a b?c#d%e", controlPlane.requests().get(controlPlane.requests().size() - 1));
    }

    @Test
    void aWrongTokenIsTheControlPlaneFailingNotAnAbsentRecord() {
        HttpConfigProvider wrong = new HttpConfigProvider(controlPlane.endpoint().toString(), "Bearer nope",
                Duration.ofSeconds(2), Duration.ofSeconds(5), "");
        assertEquals(S3ErrorCode.ServiceUnavailable,
                assertThrows(S3Exception.class, () -> wrong.bucket("alpha")).code());
    }

    @Test
    void baseUrlsWithCredentialsOrOtherSchemesAreRefused() {
        for (String url : List.of("ftp://host/", "http://user:pw@host/", "http://host/?x=1", "", "not a url")) {
            assertThrows(IllegalArgumentException.class, () -> new HttpConfigProvider(url, "",
                    Duration.ofSeconds(1), Duration.ofSeconds(1), ""), url);
        }
    }
}
