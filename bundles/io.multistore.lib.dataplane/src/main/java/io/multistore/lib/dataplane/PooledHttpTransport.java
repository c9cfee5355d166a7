package io.multistore.lib.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * The shared transport: one pool of HTTP/1.1 connections, blocking streams, a {@link RetryPolicy}.
 * <p>
 * The client underneath is Apache HttpClient 4 as the AWS SDK bundle ships it (the SDK's {@code ApacheHttpClient},
 * used here directly, without the SDK's request pipeline). It was chosen by measurement against Jetty 12's
 * {@code HttpClient} and the JDK's {@code java.net.http.HttpClient}, each doing 4 KiB and 256 MiB GETs from nginx
 * with 32 concurrent callers on the 2-core build machine: Apache answered the most requests per second and streamed
 * the most MB/s in both rounds (see {@code docs/architecture.md} for the figures). Its blocking streams also fit the
 * front end, which serves each request on its own thread. Nothing outside this class sees the client, so it can be
 * replaced without touching a backend.
 */
public final class PooledHttpTransport implements HttpTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PooledHttpTransport.class);
    /** From this size on, a body waits for the store's go-ahead, so that a refusal costs no transfer. */
    static final long EXPECT_CONTINUE_FROM = 1024 * 1024;
    /**
     * Extra attempts, beyond the retry policy's, for pooled connections the store had already closed while they sat
     * idle: such a request never reached the store, and after a burst a pool can hold many of them.
     */
    static final int MAX_STALE_RETRIES = 16;

    private final SdkHttpClient client;
    private final RetryPolicy retry;

    public PooledHttpTransport(TransportSettings settings) {
        this.retry = settings.retry();
        this.client = ApacheHttpClient.builder()
                .maxConnections(settings.maxConnections())
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.socketTimeout())
                .connectionAcquisitionTimeout(settings.acquireTimeout())
                .connectionMaxIdleTime(settings.maxIdleTime())
                .tcpKeepAlive(true)
                // only where a request asks for it (large bodies, see send)
                .expectContinueEnabled(false)
                .build();
    }

    @Override
    public BackendResponse send(BackendRequest request) throws IOException {
        int stale = 0;
        for (int attempt = 1;; attempt++) {
            BackendResponse response;
            try {
                response = execute(request);
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (staleConnection(e) && stale < MAX_STALE_RETRIES && request.replayable()) {
                    stale++;
                    attempt--;
                    LOG.debug("{} {}: a pooled connection was closed by the store; sending again",
                            request.method(), request.uri().getHost());
                    continue;
                }
                if (attempt >= retry.maxAttempts() || !request.replayable()) {
                    throw e;
                }
                LOG.debug("{} {} attempt {} failed, retrying: {}", request.method(), request.uri().getHost(),
                        attempt, e.toString());
                pause(retry.delayMillis(attempt, false));
                continue;
            }
            int status = response.status();
            if (retry.retryable(status) && attempt < retry.maxAttempts() && request.replayable()) {
                LOG.debug("{} {} attempt {} answered {}, retrying", request.method(), request.uri().getHost(),
                        attempt, status);
                discard(response);
                pause(retry.delayMillis(attempt, retry.throttling(status)));
                continue;
            }
            return response;
        }
    }

    private BackendResponse execute(BackendRequest request) throws IOException {
        SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(request.uri());
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            http.putHeader(h.getKey(), h.getValue());
        }
        HttpExecuteRequest.Builder execute = HttpExecuteRequest.builder();
        OutboundBody body = request.body();
        if (body != null) {
            http.putHeader("Content-Length", Long.toString(body.length()));
            if (body.length() >= EXPECT_CONTINUE_FROM) {
                http.putHeader("Expect", "100-continue");
            }
            execute.contentStreamProvider(() -> {
                try {
                    return body.newStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        ExecutableHttpRequest call = client.prepareRequest(execute.request(http.build()).build());
        HttpExecuteResponse answer;
        try {
            answer = call.call();
        } catch (RuntimeException e) {
            // a body that could not be (re)opened, wrapped by the client or a signer's stream provider
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IOException io) {
                    throw io;
                }
            }
            throw e;
        }
        InputStream in = answer.responseBody().orElse(null);
        int status = answer.httpResponse().statusCode();
        if (in != null && ("HEAD".equals(request.method()) || status == 204 || status == 304)) {
            // no body, whatever Content-Length says
            in.close();
            in = null;
        }
        Runnable abort = in instanceof AbortableInputStream abortable ? abortable::abort : call::abort;
        return new BackendResponse(status, answer.httpResponse().headers(), in, abort);
    }

    /** Apache's name for "the store closed the connection without a byte of answer": an idle pooled connection. */
    private static boolean staleConnection(IOException e) {
        return "NoHttpResponseException".equals(e.getClass().getSimpleName());
    }

    /** Drops an answer that will be retried: error bodies are small, so the connection is kept when it can be. */
    private static void discard(BackendResponse response) {
        try (InputStream in = response.body()) {
            in.skipNBytes(Math.max(0, Math.min(response.contentLength(), ErrorBody.LIMIT)));
        } catch (IOException e) {
            // the connection is aborted by close
        }
    }

    private static void pause(long millis) throws InterruptedIOException {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
