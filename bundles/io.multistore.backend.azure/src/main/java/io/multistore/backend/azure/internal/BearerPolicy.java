package io.multistore.backend.azure.internal;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Sends the bearer token of a bucket with an {@code auth_type} on every control-plane request (each retry asks
 * again, so a refreshed token is used). The SDK's own token policy is not used: it refuses plain-HTTP endpoints,
 * which emulators and private endpoints use.
 */
final class BearerPolicy implements HttpPipelinePolicy {

    private final Supplier<String> bearer;

    BearerPolicy(Supplier<String> bearer) {
        this.bearer = bearer;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        authorize(context);
        return next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        authorize(context);
        return next.processSync();
    }

    private void authorize(HttpPipelineCallContext context) {
        context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + bearer.get());
    }
}
