package io.multistore.api;

import java.time.Instant;
import java.util.List;

/**
 * Who is making a request, once authenticated.
 */
public sealed interface Identity {

    /** No credentials: may only read and list buckets with {@code anonymous_access}. */
    record Anonymous() implements Identity {
    }

    /** A long-lived access key from the config provider. */
    record LongLived(String accessKeyId, String principalName, List<AccessScope> scopes) implements Identity {
        public LongLived {
            scopes = List.copyOf(scopes);
        }
    }

    /** Temporary credentials minted by the gateway's STS for an assumed role. */
    record Temporary(String accessKeyId, String roleId, String subject, Instant expiresAt, List<AccessScope> scopes)
            implements Identity {
        public Temporary {
            scopes = List.copyOf(scopes);
        }
    }

    Identity ANONYMOUS = new Anonymous();
}
