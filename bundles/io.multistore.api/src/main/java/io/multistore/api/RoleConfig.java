package io.multistore.api;

import java.util.List;

/**
 * A role that OIDC-authenticated callers may assume through the gateway's STS.
 *
 * @param subjectConditions glob patterns the token's {@code sub} must match (empty = any)
 */
public record RoleConfig(String roleId, String name, List<String> trustedOidcIssuers, List<String> requiredAudiences,
        List<String> subjectConditions, long maxSessionDurationSecs, List<AccessScope> allowedScopes) {

    public RoleConfig {
        trustedOidcIssuers = trustedOidcIssuers == null ? List.of() : List.copyOf(trustedOidcIssuers);
        requiredAudiences = requiredAudiences == null ? List.of() : List.copyOf(requiredAudiences);
        subjectConditions = subjectConditions == null ? List.of() : List.copyOf(subjectConditions);
        allowedScopes = allowedScopes == null ? List.of() : List.copyOf(allowedScopes);
    }
}
