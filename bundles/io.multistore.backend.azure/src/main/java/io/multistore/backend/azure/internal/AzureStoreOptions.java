package io.multistore.backend.azure.internal;

import io.multistore.api.BucketConfig;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code [buckets.backend_options]} of an Azure bucket. Each option also answers to the names of
 * {@code object_store}'s Azure builder that multistore configurations use ({@code azure_storage_account_name}, …).
 *
 * @param endpoint      the account's blob endpoint: {@code https://ACCOUNT.blob.core.windows.net} unless set (Azurite:
 *                      {@code http://127.0.0.1:10000/devstoreaccount1})
 * @param accountName   the storage account
 * @param containerName the container
 * @param accessKey     the account key (Shared Key), or {@code null}
 * @param sasToken      a SAS token (without a leading {@code ?}), or {@code null}
 * @param skipSignature unsigned requests (public containers)
 */
record AzureStoreOptions(URI endpoint, String accountName, String containerName, String accessKey, String sasToken,
        boolean skipSignature) {

    static final String ACCOUNT_NAME = "account_name";
    static final String CONTAINER_NAME = "container_name";
    static final String ACCESS_KEY = "access_key";
    static final String SAS_TOKEN = "sas_token";
    static final String ENDPOINT = "endpoint";
    static final String SKIP_SIGNATURE = "skip_signature";

    /** Each option: its name here first, then its {@code object_store} aliases. */
    private static final List<List<String>> NAMES = List.of(
            List.of(ACCOUNT_NAME, "azure_storage_account_name"),
            List.of(CONTAINER_NAME, "azure_container_name"),
            List.of(ACCESS_KEY, "account_key", "azure_storage_account_key", "azure_storage_access_key"),
            List.of(SAS_TOKEN, "azure_storage_sas_token", "azure_storage_sas_key"),
            List.of(ENDPOINT, "azure_storage_endpoint"),
            List.of(SKIP_SIGNATURE, "azure_skip_signature"),
            List.of("allow_http", "azure_allow_http"),
            // auth_type = "oidc": the OIDC bundle reads these to obtain a bearer token from Microsoft Entra
            List.of("auth_type"), List.of("oidc_subject"), List.of("oidc_audience"),
            List.of("client_id", "azure_client_id", "azure_storage_client_id"),
            List.of("tenant_id", "azure_tenant_id", "azure_storage_tenant_id", "authority_id"),
            List.of("authority_host", "azure_authority_host", "azure_storage_authority_host"));

    /** Every option name understood. */
    static final Set<String> OPTION_NAMES = NAMES.stream().flatMap(List::stream)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    @Override
    public String toString() {
        // never the key or the token
        return "AzureStoreOptions[endpoint=" + endpoint + ", accountName=" + accountName + ", containerName="
                + containerName + ", sharedKey=" + (accessKey != null) + ", sas=" + (sasToken != null)
                + ", skipSignature=" + skipSignature + "]";
    }

    /** Environment variables read when a bucket's options carry neither key nor token (as the Azure CLI names them). */
    static final String ENV_KEY = "AZURE_STORAGE_ACCOUNT_KEY";
    static final String ENV_SAS = "AZURE_STORAGE_SAS_TOKEN";

    static AzureStoreOptions from(BucketConfig bucket) {
        return from(bucket, System.getenv());
    }

    /**
     * @param environment where {@value #ENV_KEY} or {@value #ENV_SAS} are looked up when the options name neither an
     *                    access key, a SAS token nor {@code skip_signature}: secrets need not be in the config file
     */
    static AzureStoreOptions from(BucketConfig bucket, Map<String, String> environment) {
        String container = option(bucket, CONTAINER_NAME).orElseThrow(() -> invalid(bucket,
                "backend option container_name is required"));
        Optional<String> account = option(bucket, ACCOUNT_NAME);
        Optional<String> endpointOption = option(bucket, ENDPOINT);
        if (account.isEmpty() && endpointOption.isEmpty()) {
            throw invalid(bucket, "backend option account_name (or endpoint) is required");
        }
        URI endpoint = endpointOption.map(e -> parseEndpoint(bucket, e))
                .orElseGet(() -> URI.create("https://" + account.get() + ".blob.core.windows.net"));
        String accountName = account.orElseGet(() -> accountFromEndpoint(bucket, endpoint));
        String key = option(bucket, ACCESS_KEY).orElse(null);
        String sas = option(bucket, SAS_TOKEN).orElse(null);
        boolean skip = option(bucket, SKIP_SIGNATURE).map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
        boolean sourced = bucket.option("auth_type").isPresent(); // a bearer token from a credential source
        if (key == null && sas == null && !skip && !sourced) {
            key = blankToNull(environment.get(ENV_KEY));
            sas = key == null ? blankToNull(environment.get(ENV_SAS)) : null;
        }
        if (sas != null && sas.startsWith("?")) {
            sas = sas.substring(1);
        }
        if (key == null && sas == null && !skip && !sourced) {
            throw invalid(bucket, "one of the backend options access_key, sas_token or skip_signature = \"true\" "
                    + "(or the environment variable " + ENV_KEY + " or " + ENV_SAS + ") is required");
        }
        if (key != null) {
            try {
                java.util.Base64.getDecoder().decode(key.trim());
            } catch (IllegalArgumentException e) {
                throw invalid(bucket, "backend option access_key is not base64");
            }
        }
        return new AzureStoreOptions(endpoint, accountName, container, key == null ? null : key.trim(), sas, skip);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The configured value under the option's name or one of its aliases. */
    private static Optional<String> option(BucketConfig bucket, String name) {
        for (List<String> names : NAMES) {
            if (names.get(0).equals(name)) {
                for (String n : names) {
                    Optional<String> value = bucket.option(n).filter(v -> !v.isBlank());
                    if (value.isPresent()) {
                        return value;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** {@code https://ACCOUNT.blob…} or an emulator's {@code http://host:port/ACCOUNT}. */
    private static String accountFromEndpoint(BucketConfig bucket, URI endpoint) {
        String path = endpoint.getPath() == null ? "" : endpoint.getPath().replaceAll("^/+|/+$", "");
        if (!path.isEmpty()) {
            return path;
        }
        String host = endpoint.getHost();
        int dot = host.indexOf('.');
        if (dot > 0) {
            return host.substring(0, dot);
        }
        throw invalid(bucket, "backend option account_name is required with this endpoint");
    }

    private static URI parseEndpoint(BucketConfig bucket, String value) {
        String v = value.trim();
        if (!v.contains("://")) {
            v = "https://" + v;
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            URI uri = URI.create(v);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw invalid(bucket, "backend option endpoint is not an http(s) URL: " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(bucket, "backend option endpoint is not a URL: " + value);
        }
    }

    /** An operator's mistake: {@link AzureBackend} answers 503 and the gateway logs the detail once. */
    private static IllegalArgumentException invalid(BucketConfig bucket, String message) {
        return new IllegalArgumentException("bucket " + bucket.name() + ": " + message);
    }
}
