package io.multistore.config.dynamodb.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigSource;
import io.multistore.config.records.Json;
import io.multistore.config.records.JsonRecords;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Buckets, roles and credentials from one DynamoDB table: items keyed {@code PK}/{@code SK} =
 * {@code BUCKET#name}/{@code CONFIG}, {@code ROLE#role_id}/{@code CONFIG}, {@code CRED#access_key_id}/
 * {@code LONG_LIVED}, each holding its record as JSON in the string attribute {@code config_json}.
 * <p>
 * Lookups are {@code GetItem}s. The bucket listing is a {@code Query} on a global secondary index that swaps the
 * keys ({@code SK} as partition key, {@code PK} as sort key: {@code SK = CONFIG AND begins_with(PK, "BUCKET#")}),
 * never a scan of the whole table; the import command creates the table with that index. Uses the shared AWS SDK
 * bundle with its Apache HTTP client passed explicitly.
 */
@Component(service = ConfigProvider.class, configurationPid = DynamoDbConfigProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@ConfigSource("dynamodb")
@Designate(ocd = DynamoDbConfigProvider.Config.class)
public final class DynamoDbConfigProvider implements ConfigProvider, AutoCloseable {

    static final String PID = "io.multistore.config.dynamodb";
    static final String DEFAULT_INDEX = "SK-PK-index";

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbConfigProvider.class);

    @ObjectClassDefinition(id = PID, name = "Multistore DynamoDB config provider",
            description = "Buckets, roles and credentials from one DynamoDB table (PK/SK keys, the record as JSON "
                    + "in config_json).")
    public @interface Config {

        @AttributeDefinition(name = "Table", description = "Name of the DynamoDB table.")
        String table();

        @AttributeDefinition(name = "Region", description = "AWS region of the table.")
        String region() default "us-east-1";

        @AttributeDefinition(name = "Endpoint", required = false, description = "Endpoint override (a DynamoDB-"
                + "compatible server, a VPC endpoint); empty: the region's endpoint.")
        String endpoint() default "";

        @AttributeDefinition(name = "Bucket index", description = "Global secondary index with SK as partition "
                + "key and PK as sort key, queried to list buckets.")
        String bucket__index() default DEFAULT_INDEX;

        @AttributeDefinition(name = "Access key id", required = false, description = "Static credentials; empty: "
                + "the default AWS credential chain (environment, profile, web identity, instance role).")
        String access__key__id() default "";

        @AttributeDefinition(name = "Secret access key", type = AttributeType.PASSWORD, required = false,
                description = "Secret of the static access key.")
        String secret__access__key() default "";

        @AttributeDefinition(name = "Timeout (ms)", min = "1", description = "Longest a lookup may take, retries "
                + "included, in milliseconds.")
        long timeout__ms() default 5000;
    }

    /** The three record types: partition key prefix and sort key. */
    private enum Item {
        BUCKET("BUCKET#", "CONFIG"), ROLE("ROLE#", "CONFIG"), CREDENTIAL("CRED#", "LONG_LIVED");

        final String prefix;
        final String sortKey;

        Item(String prefix, String sortKey) {
            this.prefix = prefix;
            this.sortKey = sortKey;
        }
    }

    private final String table;
    private final String index;
    private final String where;
    private final SdkHttpClient http;
    private final DynamoDbClient client;

    @Activate
    public DynamoDbConfigProvider(Config config) {
        this(config.table(), config.region(), config.endpoint(), config.bucket__index(), credentials(config),
                Duration.ofMillis(config.timeout__ms()));
    }

    DynamoDbConfigProvider(String table, String region, String endpoint, String index,
            AwsCredentialsProvider credentials, Duration timeout) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("table is required");
        }
        this.table = table.trim();
        this.index = index == null || index.isBlank() ? DEFAULT_INDEX : index.trim();
        this.http = ApacheHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build();
        var builder = DynamoDbClient.builder().httpClient(http).region(Region.of(region.trim()))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).retryStrategy(r -> r.maxAttempts(2)));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        this.client = builder.build();
        this.where = "dynamodb table " + this.table + (endpoint == null || endpoint.isBlank() ? " in " + region
                : " at " + endpoint.trim());
        LOG.info("DynamoDB config provider reads {}", where);
    }

    private static AwsCredentialsProvider credentials(Config config) {
        if (!config.access__key__id().isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.access__key__id().trim(),
                    config.secret__access__key()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Deactivate
    @Override
    public void close() {
        client.close();
        http.close();
    }

    @Override
    public Optional<BucketConfig> bucket(String name) {
        return get(Item.BUCKET, name).flatMap(json -> JsonRecords.bucket(json, record(Item.BUCKET, name), name));
    }

    @Override
    public Optional<RoleConfig> role(String roleId) {
        return get(Item.ROLE, roleId).flatMap(json -> JsonRecords.role(json, record(Item.ROLE, roleId), roleId));
    }

    @Override
    public Optional<StoredCredential> credential(String accessKeyId) {
        return get(Item.CREDENTIAL, accessKeyId).flatMap(json -> JsonRecords.credential(json,
                record(Item.CREDENTIAL, accessKeyId), accessKeyId));
    }

    @Override
    public List<BucketConfig> buckets() {
        List<Object> records = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression("SK = :sk AND begins_with(PK, :prefix)")
                    .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(Item.BUCKET.sortKey),
                            ":prefix", AttributeValue.fromS(Item.BUCKET.prefix)));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = call(() -> client.query(q.build()));
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue json = item.get("config_json");
                String pk = item.get("PK") == null ? "?" : item.get("PK").s();
                if (json == null || json.s() == null) {
                    LOG.error("Rejected bucket record {} item {}: config_json is missing or not a string", where, pk);
                    continue;
                }
                try {
                    records.add(Json.parse(json.s()).root());
                } catch (Json.SyntaxException e) {
                    LOG.error("Rejected bucket record {} item {}: {}", where, pk, e.getMessage());
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return JsonRecords.buckets(records, where + " index " + index);
    }

    private Optional<String> get(Item item, String id) {
        if (!JsonRecords.plausibleId(id)) {
            return Optional.empty();
        }
        var response = call(() -> client.getItem(g -> g.tableName(table).key(Map.of(
                "PK", AttributeValue.fromS(item.prefix + id), "SK", AttributeValue.fromS(item.sortKey)))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        AttributeValue json = response.item().get("config_json");
        if (json == null || json.s() == null) {
            LOG.error("Rejected {}: config_json is missing or not a string", record(item, id));
            return Optional.empty();
        }
        return Optional.of(json.s());
    }

    private String record(Item item, String id) {
        return where + " item " + item.prefix + id;
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (DynamoDbException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "config table failed: " + where + ": "
                    + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "config table unreachable: " + where + ": "
                    + e.getMessage(), e);
        }
    }
}
