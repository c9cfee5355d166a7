package io.multistore.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clouds' token endpoints, played honestly on 127.0.0.1 for tests of the gateway as an OIDC provider: AWS STS
 * ({@code AssumeRoleWithWebIdentity}, query API, XML answer), Microsoft Entra ({@code client_credentials} with a
 * {@code client_assertion}, JSON answer) and Google (STS token exchange, then IAM Credentials
 * {@code generateAccessToken}). Each exchange does what the real service does with the presented JWT: reads its
 * {@code iss}, fetches {@code <iss>/.well-known/openid-configuration} and the {@code jwks_uri} it names over HTTP,
 * verifies the RS256 signature with the key of the JWT's {@code kid}, checks {@code iss} against the trusted issuer,
 * {@code aud}, {@code sub} (the trust policy's conditions) and {@code exp}/{@code nbf} — and only then issues.
 * <p>
 * What it issues: for AWS the key pair it was configured with (a backend such as S3Proxy accepts exactly that pair)
 * plus a random session token; for Entra and Google random bearer tokens, which {@link #issuedBearer(String)} knows
 * (the harness's {@link BearerGate} lets only those through to the storage emulator).
 */
public final class CloudTokenService implements AutoCloseable {

    public static final String AWS_AUDIENCE = "sts.amazonaws.com";
    public static final String ENTRA_AUDIENCE = "api://AzureADTokenExchange";

    private final HttpServer server;
    private final String url;
    private final String trustedIssuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AwsRole> roles = new ConcurrentHashMap<>();
    private final Map<String, EntraClient> entraClients = new ConcurrentHashMap<>();
    private final Map<String, GoogleProvider> providers = new ConcurrentHashMap<>();
    private final Map<String, Instant> federatedTokens = new ConcurrentHashMap<>();
    private final Set<String> bearers = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> issued = new ConcurrentHashMap<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final List<String> verifiedKids = new CopyOnWriteArrayList<>();
    private volatile Duration lifetime = Duration.ofHours(1);
    private volatile boolean available = true;

    private record AwsRole(String subject, String accessKeyId, String secretAccessKey) {
    }

    private record EntraClient(String tenant, String subject) {
    }

    private record GoogleProvider(String subject, String serviceAccount) {
    }

    private CloudTokenService(String trustedIssuer) throws IOException {
        this.trustedIssuer = trustedIssuer;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
        // AWS STS answers at its endpoint's root, as the SDK posts there
        server.createContext("/", this::aws);
        server.createContext("/entra", this::entra);
        server.createContext("/google/v1/token", this::googleSts);
        server.createContext("/google-iam", this::googleIam);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** A token service that trusts JWTs of this issuer only (the gateway's {@code OIDC_PROVIDER_ISSUER}). */
    public static CloudTokenService start(String trustedIssuer) {
        try {
            return new CloudTokenService(trustedIssuer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** AWS STS: the role's trust policy admits this subject (and {@code aud} = {@value #AWS_AUDIENCE}). */
    public CloudTokenService awsRole(String roleArn, String subject, String accessKeyId, String secretAccessKey) {
        roles.put(roleArn, new AwsRole(subject, accessKeyId, secretAccessKey));
        return this;
    }

    /** Entra: the app registration's federated credential admits this subject. */
    public CloudTokenService entraClient(String tenant, String clientId, String subject) {
        entraClients.put(clientId, new EntraClient(tenant, subject));
        return this;
    }

    /**
     * Google: the workload identity provider ({@code projects/…/providers/…}) admits this subject; with a service
     * account, federated tokens may impersonate it.
     */
    public CloudTokenService googleProvider(String provider, String subject, String serviceAccount) {
        providers.put(provider, new GoogleProvider(subject, serviceAccount));
        return this;
    }

    /** The AWS STS endpoint ({@code sts_endpoint} of an S3 bucket). */
    public String awsEndpoint() {
        return url;
    }

    /** The Entra authority host ({@code authority_host} of an Azure bucket). */
    public String entraAuthority() {
        return url + "/entra";
    }

    /** Google's STS token endpoint ({@code sts_endpoint} of a GCS bucket). */
    public String googleSts() {
        return url + "/google/v1/token";
    }

    /** Google's IAM Credentials API root ({@code oidc_iam_endpoint} of a GCS bucket). */
    public String googleIam() {
        return url + "/google-iam";
    }

    /** How long issued credentials live (1 hour unless set). */
    public void credentialLifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    /** {@code false}: every call answers 503, as a cloud's STS in an outage. */
    public void available(boolean available) {
        this.available = available;
    }

    /** Successful issues of one kind: {@code aws}, {@code entra}, {@code google-sts}, {@code google-iam}. */
    public int issued(String kind) {
        AtomicInteger n = issued.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Why each refused JWT was refused, in order. */
    public List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** The {@code kid} of every JWT verified, in order. */
    public List<String> verifiedKids() {
        return List.copyOf(verifiedKids);
    }

    /** Whether this bearer token was issued by Entra or Google IAM Credentials here and has not expired. */
    public boolean issuedBearer(String token) {
        return token != null && bearers.contains(token);
    }

    // ------------------------------------------------------------------ AWS STS

    private void aws(HttpExchange ex) throws IOException {
        if (!available) {
            send(ex, 503, "text/xml", awsError("ServiceUnavailable", "Service is unavailable"));
            return;
        }
        Map<String, String> form = form(ex);
        if (!"AssumeRoleWithWebIdentity".equals(form.get("Action"))) {
            send(ex, 400, "text/xml", awsError("InvalidAction", "Could not find operation " + form.get("Action")));
            return;
        }
        AwsRole role = roles.get(form.getOrDefault("RoleArn", ""));
        if (role == null) {
            send(ex, 403, "text/xml", awsError("AccessDenied", "Not authorized to perform "
                    + "sts:AssumeRoleWithWebIdentity"));
            return;
        }
        String session = form.getOrDefault("RoleSessionName", "");
        if (!session.matches("[\\w+=,.@-]{2,64}")) {
            send(ex, 400, "text/xml", awsError("ValidationError", "RoleSessionName is invalid"));
            return;
        }
        JWTClaimsSet claims;
        try {
            claims = verify(form.get("WebIdentityToken"), AWS_AUDIENCE, role.subject());
        } catch (Refused e) {
            send(ex, 400, "text/xml", awsError("InvalidIdentityToken", e.getMessage()));
            return;
        }
        count("aws");
        Instant expires = Instant.now().plus(lifetime);
        String xml = "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>" + claims.getSubject()
                + "</SubjectFromWebIdentityToken><Audience>" + AWS_AUDIENCE + "</Audience><AssumedRoleUser><Arn>"
                + form.get("RoleArn") + "/" + session + "</Arn><AssumedRoleId>AROATEST:" + session
                + "</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>" + role.accessKeyId()
                + "</AccessKeyId><SecretAccessKey>" + role.secretAccessKey() + "</SecretAccessKey><SessionToken>"
                + "session-" + UUID.randomUUID() + "</SessionToken><Expiration>" + expires
                + "</Expiration></Credentials><Provider>" + claims.getIssuer() + "</Provider>"
                + "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>";
        send(ex, 200, "text/xml", xml);
    }

    private static String awsError(String code, String message) {
        return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>"
                + code + "</Code><Message>" + message.replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    // ------------------------------------------------------------------ Entra

    private void entra(HttpExchange ex) throws IOException {
        if (!available) {
            sendJson(ex, 503, Map.of("error", "temporarily_unavailable"));
            return;
        }
        String[] path = ex.getRequestURI().getPath().split("/"); // "", "entra", tenant, "oauth2", "v2.0", "token"
        Map<String, String> form = form(ex);
        EntraClient client = entraClients.get(form.getOrDefault("client_id", ""));
        if (path.length != 6 || !"POST".equals(ex.getRequestMethod()) || client == null
                || !client.tenant().equals(path[2])) {
            sendJson(ex, 400, Map.of("error", "unauthorized_client", "error_description",
                    "AADSTS700016: application not found in the directory"));
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))
                || !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))
                || !"https://storage.azure.com/.default".equals(form.get("scope"))) {
            sendJson(ex, 400, Map.of("error", "invalid_request", "error_description", "unexpected grant"));
            return;
        }
        try {
            verify(form.get("client_assertion"), ENTRA_AUDIENCE, client.subject());
        } catch (Refused e) {
            sendJson(ex, 400, Map.of("error", "invalid_client", "error_description", "AADSTS70021: " + e.getMessage()));
            return;
        }
        count("entra");
        sendJson(ex, 200, Map.of("token_type", "Bearer", "expires_in", lifetime.toSeconds(), "ext_expires_in",
                lifetime.toSeconds(), "access_token", bearer("entra")));
    }

    // ------------------------------------------------------------------ Google

    private void googleSts(HttpExchange ex) throws IOException {
        if (!available) {
            sendJson(ex, 503, Map.of("error", "temporarily_unavailable"));
            return;
        }
        Map<String, String> form = form(ex);
        String audience = form.getOrDefault("audience", "");
        String provider = audience.replaceFirst("^//iam\\.googleapis\\.com/", "");
        GoogleProvider p = providers.get(provider);
        if (p == null || !audience.startsWith("//iam.googleapis.com/")) {
            sendJson(ex, 400, Map.of("error", "invalid_target", "error_description", "The target service "
                    + "indicated by the \"audience\" parameters is invalid"));
            return;
        }
        if (!"urn:ietf:params:oauth:grant-type:token-exchange".equals(form.get("grant_type"))
                || !"urn:ietf:params:oauth:token-type:jwt".equals(form.get("subject_token_type"))
                || !"urn:ietf:params:oauth:token-type:access_token".equals(form.get("requested_token_type"))) {
            sendJson(ex, 400, Map.of("error", "invalid_request", "error_description", "unexpected grant"));
            return;
        }
        try {
            verify(form.get("subject_token"), "https://iam.googleapis.com/" + provider, p.subject());
        } catch (Refused e) {
            sendJson(ex, 400, Map.of("error", "invalid_grant", "error_description", e.getMessage()));
            return;
        }
        count("google-sts");
        String federated = "federated-" + UUID.randomUUID();
        federatedTokens.put(federated, Instant.now().plus(lifetime));
        if (p.serviceAccount() == null) {
            bearers.add(federated); // used directly against storage
        }
        sendJson(ex, 200, Map.of("access_token", federated, "issued_token_type",
                "urn:ietf:params:oauth:token-type:access_token", "token_type", "Bearer", "expires_in",
                lifetime.toSeconds()));
    }

    private void googleIam(HttpExchange ex) throws IOException {
        if (!available) {
            sendJson(ex, 503, Map.of("error", Map.of("code", 503, "status", "UNAVAILABLE")));
            return;
        }
        // /google-iam/v1/projects/-/serviceAccounts/{email}:generateAccessToken
        String path = ex.getRequestURI().getPath();
        String prefix = "/google-iam/v1/projects/-/serviceAccounts/";
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String federated = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        Instant valid = federated == null ? null : federatedTokens.get(federated);
        byte[] body = ex.getRequestBody().readNBytes(64 * 1024);
        if (valid == null || valid.isBefore(Instant.now())) {
            sendJson(ex, 401, Map.of("error", Map.of("code", 401, "status", "UNAUTHENTICATED")));
            return;
        }
        if (!path.startsWith(prefix) || !path.endsWith(":generateAccessToken")) {
            sendJson(ex, 404, Map.of("error", Map.of("code", 404, "status", "NOT_FOUND")));
            return;
        }
        String account = path.substring(prefix.length(), path.length() - ":generateAccessToken".length());
        boolean allowed = providers.values().stream().anyMatch(p -> account.equals(p.serviceAccount()));
        Map<String, Object> request;
        try {
            request = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            sendJson(ex, 400, Map.of("error", Map.of("code", 400, "status", "INVALID_ARGUMENT")));
            return;
        }
        if (!allowed || !(request.get("scope") instanceof List<?> scopes) || scopes.isEmpty()) {
            sendJson(ex, 403, Map.of("error", Map.of("code", 403, "status", "PERMISSION_DENIED")));
            return;
        }
        count("google-iam");
        sendJson(ex, 200, Map.of("accessToken", bearer("google"), "expireTime",
                Instant.now().plus(lifetime).toString()));
    }

    // ------------------------------------------------------------------ verification

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** What a cloud does with a presented JWT before it issues anything. */
    private JWTClaimsSet verify(String token, String audience, String subject) throws Refused {
        try {
            if (token == null || token.isBlank()) {
                throw new Refused("no token");
            }
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String issuer = claims.getIssuer();
            if (!trustedIssuer.equals(issuer)) {
                throw new Refused("no OpenIDConnect provider found for issuer " + issuer);
            }
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new Refused("unsupported alg " + jwt.getHeader().getAlgorithm());
            }
            Map<String, Object> discovery = JSONObjectUtils.parse(get(issuer.replaceAll("/+$", "")
                    + "/.well-known/openid-configuration"));
            if (!issuer.equals(discovery.get("issuer"))) {
                throw new Refused("discovery document names issuer " + discovery.get("issuer"));
            }
            JWKSet keys = JWKSet.parse(get(String.valueOf(discovery.get("jwks_uri"))));
            String kid = jwt.getHeader().getKeyID();
            JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
            if (!(key instanceof RSAKey rsa)) {
                throw new Refused("no key with kid " + kid + " in the issuer's JWKS");
            }
            if (!jwt.verify(new RSASSAVerifier(rsa))) {
                throw new Refused("signature does not verify with key " + kid);
            }
            Instant now = Instant.now();
            if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
                throw new Refused("token is expired");
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plusSeconds(5))) {
                throw new Refused("token is not yet valid");
            }
            if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
                throw new Refused("incorrect token audience " + claims.getAudience());
            }
            if (!subject.equals(claims.getSubject())) {
                throw new Refused("subject " + claims.getSubject() + " is not trusted");
            }
            verifiedKids.add(kid);
            return claims;
        } catch (Refused e) {
            rejections.add(e.getMessage());
            throw e;
        } catch (ParseException | JOSEException | IOException | InterruptedException e) {
            rejections.add("unreadable token or issuer documents: " + e);
            throw new Refused("could not verify the token: " + e.getMessage());
        }
    }

    private String get(String uri) throws IOException, InterruptedException, Refused {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new Refused("fetching " + uri + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    // ------------------------------------------------------------------ plumbing

    private String bearer(String kind) {
        String token = kind + "-" + UUID.randomUUID();
        bearers.add(token);
        return token;
    }

    private void count(String kind) {
        issued.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        String query = ex.getRequestURI().getRawQuery();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        for (String text : new String[] {query, body}) {
            if (text == null || text.isBlank()) {
                continue;
            }
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return form;
    }

    private static void sendJson(HttpExchange ex, int status, Map<String, ?> json) throws IOException {
        send(ex, status, "application/json", JSONObjectUtils.toJSONString(json));
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
