package io.multistore.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.api.auth.TemporaryCredentialResolver;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.RouteHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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

/**
 * The STS bundle in Felix: its route handler and session token resolver are satisfied against the active
 * configuration the core publishes; stopping the bundle makes session-token requests answer InvalidToken and STS
 * calls fall through to the S3 path; starting it again restores both — nothing else changes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StsWiringTest extends TestSupport {

    static final String ROLE = "itest-role";

    @javax.inject.Inject
    private org.osgi.service.component.runtime.ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        // as the launcher hands SESSION_TOKEN_KEY to the framework
        return new Option[] {distribution(), org.ops4j.pax.exam.CoreOptions.systemProperty("SESSION_TOKEN_KEY")
                .value(Base64.getEncoder().encodeToString(new byte[32]))};
    }

    /** The configuration the gateway is bound to in this test (it takes the place of the file provider). */
    static final class Roles implements ConfigProvider {
        @Override
        public Optional<BucketConfig> bucket(String name) {
            return Optional.empty();
        }

        @Override
        public List<BucketConfig> buckets() {
            return List.of();
        }

        @Override
        public Optional<RoleConfig> role(String roleId) {
            return ROLE.equals(roleId) ? Optional.of(new RoleConfig(ROLE, "itest", List.of("https://idp.example"),
                    List.of(), List.of(), 3600, List.of())) : Optional.empty();
        }

        @Override
        public Optional<StoredCredential> credential(String accessKeyId) {
            return Optional.empty();
        }
    }

    @Test
    public void stsComponentsFollowTheBundle() throws Exception {
        ServiceRegistration<ConfigProvider> provider = context.registerService(ConfigProvider.class, new Roles(),
                properties(ConfigProvider.SOURCE, "file", "service.ranking", 1000));
        // what the launcher writes: the key as a placeholder the interpolation plugin resolves, never the key.
        // (SCR applies a component's configuration PIDs in order and stops at the first one that does not exist,
        // so the launcher always writes this one, even empty.)
        org.osgi.service.cm.Configuration sts = configure("io.multistore.auth.sts.cli", "session_token_key",
                "$[prop:SESSION_TOKEN_KEY]");
        try {
            waitFor("the STS route handler and resolver", () -> stsHandler() && resolvers() == 1);
            // the active configuration: one service, delegating to the provider the gateway is bound to
            Collection<ServiceReference<ConfigProvider>> active = context.getServiceReferences(ConfigProvider.class,
                    ConfigProvider.ACTIVE_FILTER);
            assertEquals(1, active.size());
            ConfigProvider activeConfig = context.getService(active.iterator().next());
            waitFor("the gateway bound to the test provider", () -> activeConfig.role(ROLE).isPresent());

            waitFor("an unopenable session token answered AccessDenied",
                    () -> signedWithToken().contains("<Code>AccessDenied</Code>"));
            // InvalidIdentityToken, not InternalError: the placeholder was resolved to a usable key
            waitFor("the STS answering", () -> stsCall().contains("<Code>InvalidIdentityToken</Code>"));

            Bundle installed = stsBundle();
            String location = installed.getLocation();
            installed.uninstall();
            waitFor("the resolver gone", () -> resolvers() == 0 && !stsHandler());
            String noResolver = signedWithToken();
            assertTrue(noResolver, noResolver.contains("<Code>InvalidToken</Code>"));
            String fallsThrough = stsCall();
            // the S3 API answers it, ignoring the parameters as S3 does: an anonymous ListBuckets
            assertTrue(fallsThrough, !fallsThrough.contains("ErrorResponse")
                    && fallsThrough.contains("<ListAllMyBucketsResult"));

            Bundle bundle = context.installBundle(location);
            bundle.start();
            java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic
                    .AtomicReference<>();
            try {
                waitFor("the STS back", () -> last.updateAndGet(x -> signedWithToken() + " | " + stsCall() + " | "
                        + resolvers() + " " + stsHandler()).matches("(?s).*AccessDenied.*InvalidIdentityToken.*"));
            } catch (AssertionError e) {
                StringBuilder dto = new StringBuilder();
                for (var d : scr.getComponentDescriptionDTOs(bundle)) {
                    for (var c : scr.getComponentConfigurationDTOs(d)) {
                        dto.append(d.name).append(" state ").append(c.state).append(" props ")
                                .append(c.properties.keySet()).append("; ");
                    }
                }
                throw new AssertionError(e.getMessage() + ": " + last.get() + " | " + dto + " | "
                        + java.util.Arrays.toString(configurationAdmin.listConfigurations(null)));
            }
        } finally {
            sts.delete();
            provider.unregister();
        }
    }

    private Bundle stsBundle() {
        for (Bundle b : context.getBundles()) {
            if ("io.multistore.auth.sts".equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("io.multistore.auth.sts is not installed");
    }

    private boolean stsHandler() {
        try {
            return !context.getServiceReferences(RouteHandler.class, "(" + RouteHandler.NAME + "=sts)").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private int resolvers() {
        try {
            return context.getServiceReferences(TemporaryCredentialResolver.class, null).size();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** A GET with a well-formed SigV4 header and a session token that no key opens. */
    private String signedWithToken() {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        return request("GET", "/bucket/key", conn -> {
            conn.setRequestProperty("x-amz-date", now);
            conn.setRequestProperty("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
            conn.setRequestProperty("x-amz-security-token", "bm90LWEtc2VhbGVkLXRva2VuLWF0LWFsbC0xMjM0NTY3ODk");
            conn.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=STSPRXYITEST000000/"
                    + now.substring(0, 8) + "/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                    + "0".repeat(64));
        });
    }

    private String stsCall() {
        return request("GET", "/?Action=AssumeRoleWithWebIdentity&RoleArn=" + ROLE + "&WebIdentityToken=x.y.z",
                conn -> { });
    }

    private String request(String method, String path, java.util.function.Consumer<HttpURLConnection> headers) {
        try {
            HttpURLConnection conn = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort() + path)
                    .openConnection();
            conn.setRequestMethod(method);
            headers.accept(conn);
            int status = conn.getResponseCode();
            InputStream body = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            return status + " " + (body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "failed: " + e;
        }
    }
}
