package io.multistore.auth.sts.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import io.multistore.api.AccessScope;
import java.util.ArrayList;
import java.util.List;

/**
 * A role's scopes made concrete for one token: {@code {claim}} in a bucket or prefix becomes that claim's string
 * value. A missing or non-string claim becomes empty, which fails closed (an empty bucket matches none). Beyond
 * multistore: substituted values are not scanned again (a claim cannot inject another {@code {claim}}), and a
 * bucket that a template turns into {@code *} matches none instead of every bucket.
 */
final class ScopeTemplates {

    private ScopeTemplates() {
    }

    static List<AccessScope> resolve(List<AccessScope> scopes, JWTClaimsSet claims) {
        List<AccessScope> out = new ArrayList<>(scopes.size());
        for (AccessScope scope : scopes) {
            String bucket = scope.bucket();
            if (bucket.indexOf('{') >= 0) {
                bucket = resolve(bucket, claims);
                if (bucket.equals("*")) {
                    bucket = "";
                }
            }
            List<String> prefixes = new ArrayList<>(scope.prefixes().size());
            for (String prefix : scope.prefixes()) {
                prefixes.add(resolve(prefix, claims));
            }
            out.add(new AccessScope(bucket, prefixes, scope.actions()));
        }
        return out;
    }

    static String resolve(String template, JWTClaimsSet claims) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = open < 0 ? -1 : template.indexOf('}', open + 1);
            if (open < 0 || close < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open);
            Object value = claims.getClaim(template.substring(open + 1, close));
            if (value instanceof String s) {
                out.append(s);
            }
            i = close + 1;
        }
        return out.toString();
    }
}
