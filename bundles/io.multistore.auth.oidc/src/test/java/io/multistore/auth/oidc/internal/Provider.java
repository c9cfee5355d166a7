package io.multistore.auth.oidc.internal;

import io.multistore.testsupport.ConfigAnnotations;
import io.multistore.testsupport.RouteSite;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A configured provider under test: its credential source, and its discovery endpoints served on a site. */
final class Provider {

    static OidcConfig config(String key, String previous, String issuer, Map<String, ?> more) {
        Map<String, Object> values = new HashMap<>(more);
        values.put("provider__key", key);
        values.put("provider__key__previous", previous);
        values.put("issuer", issuer);
        return ConfigAnnotations.create(OidcConfig.class, values);
    }

    /** Serves this configuration's discovery endpoints on the site (its route handler), replacing what it served. */
    static Discovery publish(RouteSite site, OidcConfig config) {
        site.handler(new DiscoveryRouteHandler(config));
        return new Discovery(config.issuer(),
                ProviderKeys.parse(config.provider__key(), config.provider__key__previous()));
    }

    static OidcCredentialSource source(OidcConfig config) {
        return new OidcCredentialSource(config, Clock.systemUTC());
    }

    private Provider() {
    }
}
