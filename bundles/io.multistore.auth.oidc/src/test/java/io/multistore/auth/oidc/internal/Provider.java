package io.multistore.auth.oidc.internal;

import io.multistore.testsupport.ConfigAnnotations;
import io.multistore.testsupport.DocumentSite;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A configured provider under test: its credential source, and its discovery documents published on a site. */
final class Provider {

    static OidcConfig config(String key, String previous, String issuer, Map<String, ?> more) {
        Map<String, Object> values = new HashMap<>(more);
        values.put("provider__key", key);
        values.put("provider__key__previous", previous);
        values.put("issuer", issuer);
        return ConfigAnnotations.create(OidcConfig.class, values);
    }

    /** Publishes the documents this configuration renders on the site, replacing what it served. */
    static Discovery publish(DocumentSite site, OidcConfig config) {
        Discovery discovery = new Discovery(config.issuer(),
                ProviderKeys.parse(config.provider__key(), config.provider__key__previous()));
        site.put(discovery.configurationPath(), () -> discovery.document(discovery.configurationPath()));
        site.put(discovery.jwksPath(), () -> discovery.document(discovery.jwksPath()));
        return discovery;
    }

    static OidcCredentialSource source(OidcConfig config) {
        return new OidcCredentialSource(config, Clock.systemUTC());
    }

    private Provider() {
    }
}
