package io.multistore.health.internal;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;

/**
 * Liveness: the process and its OSGi framework answer. A failing liveness probe means "restart me"; nothing a
 * plugin does (a missing backend, an unreadable configuration) makes this fail — that is readiness.
 */
@Component(service = HealthCheck.class, property = {
        HealthCheck.NAME + "=Multistore liveness",
        HealthCheck.TAGS + "=liveness",
        HealthCheck.TAGS + "=multistore"})
public final class LivenessCheck implements HealthCheck {

    @Override
    public Result execute() {
        return new Result(Result.Status.OK, "alive");
    }
}
