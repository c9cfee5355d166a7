package io.multistore.core.internal;

import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.auth.TemporaryCredential;
import io.multistore.api.auth.TemporaryCredentialResolver;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.Gateway;
import io.multistore.api.http.HttpExchange;
import io.multistore.api.observe.CompletedRequest;
import io.multistore.api.observe.RequestListener;
import io.multistore.core.internal.auth.Authentication;
import io.multistore.core.internal.auth.Authorizer;
import io.multistore.core.internal.auth.CredentialLookup;
import io.multistore.core.internal.auth.RequestAuthenticator;
import io.multistore.core.internal.auth.SignedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 gateway: offers each exchange to the route handlers, then parses it as S3, authenticates and authorizes
 * it, and runs the operation on the bucket's store. Every response carries {@code x-amz-request-id}; every failure
 * that can still be reported becomes an S3 error document.
 */
public final class S3Gateway implements Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(S3Gateway.class);

    private final GatewaySettings settings;
    private final Plugins plugins;
    private final StoreCache stores;
    private final RequestParser parser;
    private final RequestAuthenticator verifier;
    private final S3Operations operations;
    private final Cors cors;

    S3Gateway(GatewaySettings settings, Plugins plugins, StoreCache stores, Clock clock) {
        this.settings = settings;
        this.plugins = plugins;
        this.stores = stores;
        this.parser = new RequestParser(settings.domain());
        this.verifier = new RequestAuthenticator(clock, settings.sigv2Enabled());
        this.operations = new S3Operations(settings, new XmlInput(settings.maxXmlSize()));
        this.cors = new Cors(settings.cors());
    }

    /** What one request did, for the log line and for the operations. */
    static final class Call {
        /** Replaced by the replayable view once a route handler was offered the request. */
        HttpExchange exchange;
        final String requestId;
        S3Request request;
        SignedRequest signed;
        Authentication auth;
        BucketConfig bucket;
        ObjectStore store;
        /** PostObject: the form read up to its file, authenticated, its key known. */
        PostObject post;
        /** The CORS rules' judge. */
        Cors cors;
        /** CopyObject: the source key, parsed and authorized before anything else runs. */
        String copySourceKey;
        /** CopyObject, UploadPartCopy: the source's bucket ({@link #bucket} within one) and its store. */
        BucketConfig sourceBucket;
        ObjectStore sourceStore;
        /** The configuration the request is served from. */
        ConfigProvider provider;
        /** CopyObject: the {@code versionId} of {@code x-amz-copy-source}, as sent, or null. */
        String copySourceVersionId;
        int status;
        long bytes;
        /** Timings, {@link System#nanoTime()}: receipt, the backend's turn (0 if none), the response's start. */
        final long startNanos;
        long backendNanos;
        long responseNanos;
        /** The request body as read, counted (null when none was read). */
        TrackingStream body;
        String errorCode;
        /** The route handler that answered, or null. */
        String route;

        Call(HttpExchange exchange, String requestId, long startNanos) {
            this.exchange = exchange;
            this.requestId = requestId;
            this.startNanos = startNanos;
        }

        /**
         * Begins the response: the status, and {@code Server-Timing} as multistore sends it (total, and the
         * backend's share when a store was used).
         */
        void respond(int code) {
            status = code;
            exchange.setStatus(code);
            long now = System.nanoTime();
            if (responseNanos == 0) {
                responseNanos = now;
            }
            String timing = "total;dur=" + (now - startNanos) / 1_000_000;
            if (backendNanos != 0) {
                timing += ", backend;dur=" + (now - backendNanos) / 1_000_000;
            }
            exchange.setHeader("Server-Timing", timing);
        }

        Identity identity() {
            return auth == null ? Identity.ANONYMOUS : auth.identity();
        }

        boolean isHead() {
            return "HEAD".equals(exchange.method());
        }

        /** The backend key for a client key: {@code backend_prefix} (normalized by {@link BucketConfig}) joined. */
        String backendKey(String key) {
            return bucket.backendPrefix() + key;
        }

        void authorize(Action action, String key) {
            Authorizer.authorize(identity(), bucket, action, key);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        long startedMillis = System.currentTimeMillis();
        Call call = new Call(exchange, requestId(), started);
        exchange.setHeader("x-amz-request-id", call.requestId);
        exchange.setHeader("x-amz-id-2", hostId(call.requestId));
        // the listeners told of the start are the ones told of the end, so every started has its completed
        List<RequestListener> listeners = plugins.listeners();
        if (!listeners.isEmpty()) {
            notifyStarted(listeners, call);
        }
        try {
            serve(call);
        } catch (S3Exception e) {
            fail(call, e);
        } catch (IOException e) {
            LOG.debug("Request {} aborted: {}", call.requestId, e.toString());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Request {} failed: {} {}", call.requestId, exchange.method(), bucketAndKey(call), e);
            fail(call, new S3Exception(S3ErrorCode.InternalError, "unexpected failure", e));
        } finally {
            long total = System.nanoTime() - started;
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} {} {} -> {} {}B {}ms", call.requestId, exchange.method(), bucketAndKey(call),
                        operationName(call), call.status, call.bytes, total / 1_000_000);
            }
            if (!listeners.isEmpty()) {
                notify(listeners, completed(call, startedMillis, total));
            }
        }
    }

    private static String operationName(Call call) {
        if (call.route != null) {
            return call.route;
        }
        return call.request == null ? "-" : call.request.operation().s3Name();
    }

    private static CompletedRequest completed(Call call, long startedMillis, long total) {
        S3Request r = call.request;
        HttpExchange ex = call.exchange;
        return new CompletedRequest(call.requestId, Instant.ofEpochMilli(startedMillis), ex.method(),
                operationName(call), r == null ? null : r.bucket(),
                call.post != null ? call.post.key() : r == null ? null : r.key(),
                principal(call.identity()), ex.remoteAddress(), ex.header("User-Agent"), call.status,
                call.errorCode, call.body == null ? 0 : call.body.count(), call.bytes,
                call.responseNanos == 0 ? total : call.responseNanos - call.startNanos, total,
                call.backendNanos == 0 ? 0 : (call.responseNanos == 0 ? call.startNanos + total
                        : call.responseNanos) - call.backendNanos,
                call.bucket == null ? null : call.bucket.backendType());
    }

    private static String principal(Identity identity) {
        if (identity instanceof Identity.LongLived l) {
            return l.principalName() != null && !l.principalName().isEmpty() ? l.principalName() : l.accessKeyId();
        }
        if (identity instanceof Identity.Temporary t) {
            return t.subject() != null && !t.subject().isEmpty() ? t.subject() : t.roleId();
        }
        return "anonymous";
    }

    /** Tells every listener a request began; one that throws is reported once and never hurts the rest. */
    private void notifyStarted(List<RequestListener> listeners, Call call) {
        for (RequestListener listener : listeners) {
            try {
                listener.started(call.requestId, call.exchange.method());
            } catch (RuntimeException e) {
                reportFailure(listener, e);
            }
        }
    }

    private void reportFailure(RequestListener listener, RuntimeException e) {
        if (plugins.report("listener:" + System.identityHashCode(listener))) {
            LOG.warn("Request listener {} failed; its failures are not logged again", listener, e);
        }
    }

    /** Offers a completed request to every listener; one that throws is reported once and never hurts the rest. */
    private void notify(List<RequestListener> listeners, CompletedRequest completed) {
        for (RequestListener listener : listeners) {
            try {
                listener.completed(completed);
            } catch (RuntimeException e) {
                reportFailure(listener, e);
            }
        }
    }

    @Override
    public void reject(HttpExchange exchange, S3Exception error) throws IOException {
        long started = System.nanoTime();
        long startedMillis = System.currentTimeMillis();
        Call call = new Call(exchange, requestId(), started);
        exchange.setHeader("x-amz-request-id", call.requestId);
        exchange.setHeader("x-amz-id-2", hostId(call.requestId));
        // the container refused the request before it was parsed: a client error, never an operator's problem
        LOG.debug("Request {} refused before parsing: {} {}", call.requestId, error.code(), error.getMessage());
        List<RequestListener> listeners = plugins.listeners();
        if (!listeners.isEmpty()) {
            notifyStarted(listeners, call);
        }
        try {
            fail(call, error);
        } finally {
            if (!listeners.isEmpty()) {
                notify(listeners, completed(call, startedMillis, System.nanoTime() - started));
            }
        }
    }

    private static String bucketAndKey(Call call) {
        if (call.request == null) {
            return "-";
        }
        return (call.request.bucket() == null ? "" : call.request.bucket())
                + (call.request.key() == null ? "" : "/" + call.request.key());
    }

    private void serve(Call call) throws IOException {
        HttpExchange ex = call.exchange;
        // route handlers whose matcher accepts the request line see it before S3 parsing, in ranking order; one
        // that throws is skipped, not fatal
        List<Plugins.Route> routes = plugins.routes();
        if (!routes.isEmpty()) {
            ReplayableExchange replayable = null;
            for (Plugins.Route route : routes) {
                if (!route.matcher().matches(ex.method(), ex.rawPath(), ex.rawQuery())) {
                    continue;
                }
                if (replayable == null) {
                    replayable = new ReplayableExchange(ex);
                }
                try {
                    if (route.handler().handle(replayable)) {
                        call.route = route.name() == null ? route.handler().getClass().getSimpleName()
                                : route.name();
                        call.status = replayable.status();
                        return;
                    }
                } catch (RuntimeException e) {
                    if (ex.isCommitted()) {
                        throw new IOException("route handler failed after committing the response", e);
                    }
                    LOG.error("Route handler {} failed on request {}; passing the request on",
                            route.name() == null ? route.handler() : route.name(), call.requestId, e);
                }
            }
            if (replayable != null) {
                ex = replayable; // a handler may have read a form body: the S3 path replays it
                call.exchange = replayable;
            }
        }
        ConfigProvider provider = plugins.configProvider(settings.pluginGraceNanos());
        if (provider == null) {
            if (plugins.report(Plugins.MISSING_PROVIDER)) {
                LOG.warn("No config provider is bound: requests answer 503 until one is");
            }
            throw new VisibleServerError(S3ErrorCode.ServiceUnavailable, "no config provider");
        }
        // CORS before anything can fail: a preflight is answered here, and errors carry the headers too
        call.cors = cors;
        String named = parser.bucketName(ex.rawPath(), ex.header("Host"));
        BucketConfig early = named == null ? null : earlyLookup(provider, named, "OPTIONS".equals(ex.method()));
        if (cors.handle(call, named, early)) {
            return;
        }
        call.request = parser.parse(ex.method(), ex.rawPath(), ex.rawQuery(), ex.header("Host"),
                ex.header("x-amz-copy-source") != null);
        call.signed = signedRequest(ex);
        Credentials credentials = new Credentials(provider, plugins.resolvers());
        call.auth = verifier.authenticate(call.signed, credentials, parser.virtualHostBucket(ex.header("Host")),
                call.requestId);

        call.provider = provider;
        if (call.request.operation() == Operation.LIST_BUCKETS) {
            BucketListing.listBuckets(call, guarded(provider::buckets), this::gatewayModeNames);
            return;
        }
        String name = call.request.bucket();
        Optional<BucketConfig> found = early != null && name.equals(named) ? Optional.of(early)
                : guarded(() -> BucketPatterns.resolve(provider, name));
        if (found.isEmpty()) {
            stores.retireBucket(name);
            throw new S3Exception(S3ErrorCode.NoSuchBucket, S3ErrorCode.NoSuchBucket.defaultMessage(), name, null);
        }
        call.bucket = found.get();
        if (call.request.operation() == Operation.POST_OBJECT) {
            // the form up to its file: who signed it and which key it writes
            call.post = PostObject.read(call, verifier.v4(), credentials);
        }
        // nothing touches a backend before the caller is known to be allowed
        authorize(call);
        Backend backend = backendFor(call.bucket);
        Backend sourceBackend = Copies.crossBucket(call) ? backendFor(call.sourceBucket) : null;
        call.backendNanos = System.nanoTime();
        try (StoreCache.Lease lease = stores.acquire(backend, call.bucket)) {
            call.store = lease.store();
            if (sourceBackend == null) {
                call.sourceStore = call.store;
                operations.run(call);
                return;
            }
            try (StoreCache.Lease source = stores.acquire(sourceBackend, call.sourceBucket)) {
                call.sourceStore = source.store();
                operations.run(call);
            }
        }
    }

    /** The backend serving a bucket; 503 while its backend type or backend auth module is absent. */
    private Backend backendFor(BucketConfig bucket) {
        String name = bucket.name();
        String type = bucket.backendType();
        Backend backend = plugins.backend(type, settings.pluginGraceNanos());
        if (backend == null) {
            if (plugins.report(Plugins.missingBackend(type))) {
                LOG.warn("No backend is installed for backend_type '{}' (bucket '{}'): its buckets answer 503 until "
                        + "one is", type, name);
            }
            throw new VisibleServerError(S3ErrorCode.ServiceUnavailable, "No backend is installed for backend_type '"
                    + type + "' (bucket '" + name + "')");
        }
        Optional<String> authType = BackendAuth.authType(bucket);
        if (authType.isPresent() && !BackendAuth.supports(backend)) {
            VisibleServerError unsupported = BackendAuth.unsupported(bucket, authType.get());
            if (plugins.report("auth:" + name + ":" + authType.get())) {
                LOG.warn("{}: requests for it answer 503", unsupported.getMessage());
            }
            throw unsupported;
        }
        return backend;
    }

    /**
     * ListBuckets of a gateway-mode entry: the names its backend reports ({@link Backend#bucketNames}). A backend
     * that is absent or fails is reported once and lists nothing, so one unreachable backend never fails the whole
     * listing.
     */
    private java.util.List<String> gatewayModeNames(BucketConfig entry) {
        Backend backend = plugins.backend(entry.backendType(), 0);
        if (backend == null) {
            return java.util.List.of();
        }
        try {
            java.util.List<String> names = backend.bucketNames(entry);
            return names == null ? java.util.List.of() : names;
        } catch (RuntimeException e) {
            if (plugins.report("list:" + entry.name())) {
                LOG.warn("Listing the buckets of gateway-mode entry '{}' failed; ListBuckets leaves them out "
                        + "until it works: {}", entry.name(), e.getMessage());
            }
            return java.util.List.of();
        }
    }

    /**
     * The one authorization point, driven by the operation table. CopyObject needs a read of its source and a write
     * of its target; DeleteObjects names its keys in the body, so here the caller only needs delete rights somewhere
     * in the bucket, and each key is checked as it is deleted.
     */
    static void authorize(Call call) {
        S3Request r = call.request;
        Operation op = r.operation();
        switch (op) {
            case LIST_OBJECTS_V1, LIST_OBJECTS_V2, LIST_MULTIPART_UPLOADS, LIST_OBJECT_VERSIONS -> {
                String prefix = r.param("prefix");
                call.authorize(op.action(), prefix == null ? "" : prefix);
            }
            case COPY_OBJECT, UPLOAD_PART_COPY -> Copies.authorize(call, op.action(),
                    name -> guarded(() -> BucketPatterns.resolve(call.provider, name)));
            case POST_OBJECT -> call.authorize(Action.PUT_OBJECT, call.post.key());
            case DELETE_OBJECTS, GET_BUCKET_CORS -> {
                if (!Authorizer.mayAnywhere(call.identity(), call.bucket, op.action())) {
                    throw new S3Exception(S3ErrorCode.AccessDenied, "Access Denied", call.bucket.name(), null);
                }
            }
            default -> call.authorize(Versions.action(r), r.key());
        }
    }

    /**
     * The bucket's configuration before authentication, for CORS; {@code null} when absent or when the provider
     * fails (the request then fails at the regular look-up), except for a preflight, which has no other.
     */
    private static BucketConfig earlyLookup(ConfigProvider provider, String name, boolean preflight) {
        try {
            return guarded(() -> BucketPatterns.resolve(provider, name)).orElse(null);
        } catch (S3Exception e) {
            if (preflight) {
                throw e;
            }
            return null;
        }
    }

    /** Config provider calls: S3 errors pass, anything else means the provider is unusable right now. */
    private static <T> T guarded(java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (S3Exception e) {
            throw e;
        } catch (RuntimeException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "config provider failed", e);
        }
    }

    /** Credentials for the verifier: long-lived keys from the provider, session tokens from the resolvers. */
    private static final class Credentials implements CredentialLookup {
        private final ConfigProvider provider;
        private final List<TemporaryCredentialResolver> resolvers;

        Credentials(ConfigProvider provider, List<TemporaryCredentialResolver> resolvers) {
            this.provider = provider;
            this.resolvers = resolvers;
        }

        @Override
        public Optional<StoredCredential> longLived(String accessKeyId) {
            return guarded(() -> provider.credential(accessKeyId));
        }

        @Override
        public Optional<TemporaryCredential> temporary(String sessionToken, String accessKeyId) {
            for (TemporaryCredentialResolver resolver : resolvers) {
                try {
                    Optional<TemporaryCredential> c = resolver.resolve(sessionToken, accessKeyId);
                    if (c != null && c.isPresent()) {
                        return c;
                    }
                } catch (S3Exception e) {
                    throw e; // the resolver owns the token and rejects it
                } catch (RuntimeException e) {
                    LOG.error("Temporary credential resolver {} failed; trying the others", resolver, e);
                }
            }
            if (!resolvers.isEmpty()) {
                // a token no resolver can open: tampered, sealed with a key that is gone, or not ours at all
                LOG.debug("No temporary credential resolver accepts the session token of access key {}",
                        accessKeyId);
                throw new S3Exception(S3ErrorCode.AccessDenied, "Access Denied");
            }
            return Optional.empty(); // no resolver installed: the verifier answers InvalidToken
        }
    }

    static SignedRequest signedRequest(HttpExchange ex) {
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : ex.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!headers.containsKey(lower)) {
                headers.put(lower, List.copyOf(ex.headers(name)));
            }
        }
        return new SignedRequest(ex.method(), ex.rawPath(), ex.rawQuery(), java.util.Collections.unmodifiableMap(headers));
    }

    private void fail(Call call, S3Exception e) throws IOException {
        HttpExchange ex = call.exchange;
        int status = e.status();
        call.errorCode = e.code().name();
        if (status == 500) {
            // unexpected: someone must look at it
            LOG.error("Request {} {} {} failed with {}: {}", call.requestId, ex.method(), bucketAndKey(call),
                    e.code(), e.getMessage(), e.getCause());
        } else if (status >= 500 && status != 501 && !(e instanceof VisibleServerError)
                && !(e instanceof StoreCache.ReportedFailure) && !e.reported()) {
            // a backend or provider failed; conditions the gateway tracks itself were logged when they began
            LOG.warn("Request {} {} {} failed with {}: {}", call.requestId, ex.method(), bucketAndKey(call),
                    e.code(), e.getMessage(), e.getCause());
        } else {
            LOG.debug("Request {} answered {}: {}", call.requestId, e.code(), e.getMessage());
        }
        if (ex.isCommitted()) {
            throw new IOException("request " + call.requestId + " failed after the response was committed", e);
        }
        call.respond(status);
        if (call.isHead() || status == 304) {
            return; // S3 sends no body with HEAD errors and 304
        }
        byte[] body = errorDocument(e, ex.rawPath() == null ? "/" : ex.rawPath(), call.requestId);
        ex.setHeader("Content-Type", "application/xml");
        ex.setHeader("Content-Length", Integer.toString(body.length));
        OutputStream out = ex.responseBody();
        out.write(body);
        out.flush();
        call.bytes = body.length;
    }

    static byte[] errorDocument(S3Exception e, String path, String requestId) {
        XmlWriter x = new XmlWriter().start("Error");
        x.element("Code", e.code().name());
        x.element("Message", e.clientMessage());
        x.element("Resource", e.resource() != null ? e.resource() : path);
        x.element("RequestId", requestId);
        return x.end().toBytes();
    }

    private static final java.util.HexFormat REQUEST_ID = java.util.HexFormat.of().withUpperCase();

    /** 16 upper-case hex digits, as S3's request ids (no String.format: this runs on every request). */
    static String requestId() {
        return REQUEST_ID.toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static String hostId(String requestId) {
        return Base64.getEncoder().encodeToString(("multistore/" + requestId).getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
    }
}
