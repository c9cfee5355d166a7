package io.multistore.api.auth;

import io.multistore.api.Identity;

/**
 * What a session token stands for: the secret that signs requests made with it, and who the caller is.
 */
public record TemporaryCredential(String accessKeyId, String secretAccessKey, Identity.Temporary identity) {

    @Override
    public String toString() {
        return "TemporaryCredential[accessKeyId=" + accessKeyId + ", identity=" + identity + "]";
    }
}
