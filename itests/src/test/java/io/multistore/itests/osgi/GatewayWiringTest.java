package io.multistore.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.Gateway;
import io.multistore.api.http.RouteHandler;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * DS wiring of every bundle in Felix, configuration through Config Admin, and hot-swap of the SPIs while the
 * front end keeps serving.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayWiringTest extends TestSupport {

    @javax.inject.Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return new Option[] {distribution()};
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getHeaders().get("Fragment-Host") == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")")
                .collect(Collectors.toList());
        assertTrue("not active: " + notActive, notActive.isEmpty());
    }

    @Test
    public void everyComponentOfOurBundlesIsSatisfiedOrWaitsForConfiguration() {
        waitFor("the gateway", () -> context.getServiceReference(Gateway.class) != null);
        // polled: another test's configuration change may be re-activating a component right now
        java.util.concurrent.atomic.AtomicReference<List<String>> problems = new java.util.concurrent.atomic
                .AtomicReference<>(List.of());
        try {
            waitFor("every component satisfied", () -> problems.updateAndGet(p -> componentProblems()).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError("components not satisfied: " + problems.get(), e);
        }
    }

    private List<String> componentProblems() {
        List<String> problems = new java.util.ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("io.multistore.")) {
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            for (ComponentConfigurationDTO configuration : configurations) {
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add(description.name + " (state " + configuration.state + ", unsatisfied "
                            + Arrays.toString(configuration.unsatisfiedReferences) + ")");
                }
            }
            if (!"require".equals(description.configurationPolicy) && configurations.isEmpty()) {
                problems.add(description.name + " has no configuration instance");
            }
        }
        return problems;
    }

    @Test
    public void backendsRegisterTheirTypes() {
        waitFor("fs and s3 backends", () -> backendTypes().containsAll(List.of("fs", "s3")));
    }

    @Test
    public void fileProviderFollowsItsConfiguration() throws Exception {
        Path toml = Files.createTempFile("multistore-itest", ".toml");
        Files.writeString(toml, """
                [[buckets]]
                name = "configured"
                backend_type = "fs"
                anonymous_access = true
                [buckets.backend_options]
                root = "%s"
                """.formatted(Files.createTempDirectory("multistore-itest-root").toString().replace("\\", "/")));
        org.osgi.service.cm.Configuration configuration = configure("io.multistore.config.file",
                "path", toml.toString());
        try {
            waitFor("the file provider", () -> provider("file").flatMap(p -> p.bucket("configured")).isPresent());
        } finally {
            configuration.delete();
        }
        waitFor("the file provider to leave", () -> provider("file").isEmpty());
    }

    /**
     * A backend and a config provider registered at runtime are used by the running gateway, and unregistering
     * them takes effect at once, with the servlet untouched.
     */
    @Test
    public void backendAndProviderHotSwapBehindTheRunningServlet() throws Exception {
        ServiceRegistration<ConfigProvider> provider = context.registerService(ConfigProvider.class,
                new OneBucketProvider(new BucketConfig("swap", "itest", "", true, List.of(), Map.of())), properties(ConfigProvider.SOURCE, "itest"));
        org.osgi.service.cm.Configuration gateway = configure("io.multistore.core.gateway",
                "configProvider.target", "(" + ConfigProvider.SOURCE + "=itest)");
        try {
            // the reconfigured gateway (and with it the servlet) is in place once the 503 names the missing type;
            // before that, the previous gateway answers 503 for lack of a config provider
            waitFor("503 naming the missing backend", () -> body("/swap/hello").contains("backend_type 'itest'"));
            long servletId = servletServiceId();

            ServiceRegistration<Backend> backend = context.registerService(Backend.class,
                    bucket -> new HelloStore(), properties(Backend.TYPE, "itest"));
            waitForStatus(200, "/swap/hello");
            backend.unregister();
            waitForStatus(503, "/swap/hello");
            assertEquals("the servlet was re-registered", servletId, servletServiceId());
        } finally {
            gateway.delete();
            provider.unregister();
        }
    }

    /** A route handler registered at runtime answers beside the S3 API, and is gone once unregistered. */
    @Test
    public void routeHandlerHotSwap() throws Exception {
        waitFor("the gateway", () -> context.getServiceReference(Gateway.class) != null);
        int before = status("/.well-known/itest");
        assertTrue("served before registration: " + before, before != 200);
        ServiceRegistration<RouteHandler> handler = context.registerService(RouteHandler.class, exchange -> {
            if (!"/.well-known/itest".equals(exchange.rawPath())) {
                return false;
            }
            exchange.setStatus(200);
            exchange.setHeader("Content-Type", "text/plain");
            exchange.responseBody().write("route".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return true;
        }, properties(RouteHandler.NAME, "itest"));
        try {
            waitForStatus(200, "/.well-known/itest");
        } finally {
            handler.unregister();
        }
        waitFor("the route to be gone", () -> status("/.well-known/itest") != 200);
    }

    private long servletServiceId() throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences("jakarta.servlet.Servlet",
                "(osgi.http.whiteboard.servlet.name=multistore-s3)");
        assertTrue("the S3 servlet is registered", refs != null && refs.length == 1);
        return (Long) refs[0].getProperty("service.id");
    }

    private List<String> backendTypes() {
        try {
            return context.getServiceReferences(Backend.class, null).stream()
                    .map(r -> String.valueOf(r.getProperty(Backend.TYPE))).collect(Collectors.toList());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<ConfigProvider> provider(String source) {
        try {
            return context.getServiceReferences(ConfigProvider.class, "(" + ConfigProvider.SOURCE + "=" + source + ")")
                    .stream().findFirst().map(context::getService);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitForStatus(int expected, String path) {
        int[] last = {0};
        try {
            waitFor("HTTP " + expected + " from " + path, () -> (last[0] = status(path)) == expected);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last status " + last[0] + ", port " + httpPort() + ")", e);
        }
    }

    private String body(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort() + path)
                    .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            java.io.InputStream in = connection.getResponseCode() >= 400 ? connection.getErrorStream()
                    : connection.getInputStream();
            try (in) {
                return in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    private int status(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort() + path)
                    .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every key holds "hello". */
    static final class HelloStore implements ObjectStore {
        private static final byte[] HELLO = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        @Override
        public ObjectMeta head(String key, Preconditions conditions) {
            return new ObjectMeta(key, HELLO.length, "\"5d41402abc4b2a76b9719d911017c592\"",
                    java.time.Instant.EPOCH, ObjectAttributes.NONE);
        }

        @Override
        public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
            return new ObjectContent(head(key, conditions), new java.io.ByteArrayInputStream(HELLO), null);
        }

        @Override
        public ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions conditions) {
            throw new io.multistore.api.S3Exception(io.multistore.api.S3ErrorCode.AccessDenied);
        }

        @Override
        public void delete(String key) {
            throw new io.multistore.api.S3Exception(io.multistore.api.S3ErrorCode.AccessDenied);
        }

        @Override
        public ListPage list(ListRequest request) {
            return new ListPage(List.of(), List.of(), false, null);
        }
    }
}
