package io.multistore.config.dynamodb.internal;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The config table's layout: creating it, and writing one record the way the provider reads it. */
public final class DynamoDbTable {

    private DynamoDbTable() {
    }

    /** Creates the table (on-demand billing) with the bucket index, unless it exists; waits until it is active. */
    public static void createIfMissing(DynamoDbClient client, String table, String index) {
        try {
            client.describeTable(d -> d.tableName(table));
            return;
        } catch (ResourceNotFoundException absent) {
            // create it below
        }
        client.createTable(c -> c.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build())
                .keySchema(k -> k.attributeName("PK").keyType(KeyType.HASH),
                        k -> k.attributeName("SK").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName(index)
                        .keySchema(k -> k.attributeName("SK").keyType(KeyType.HASH),
                                k -> k.attributeName("PK").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        client.waiter().waitUntilTableExists(d -> d.tableName(table));
    }

    /**
     * Writes (or replaces) one record.
     *
     * @param kind {@code bucket}, {@code role} or {@code credential}
     */
    public static void put(DynamoDbClient client, String table, String kind, String id, String json) {
        client.putItem(p -> p.tableName(table).item(Map.of("PK", AttributeValue.fromS(partitionKey(kind, id)),
                "SK", AttributeValue.fromS(sortKey(kind)), "config_json", AttributeValue.fromS(json))));
    }

    public static void delete(DynamoDbClient client, String table, String kind, String id) {
        client.deleteItem(d -> d.tableName(table).key(Map.of("PK", AttributeValue.fromS(partitionKey(kind, id)),
                "SK", AttributeValue.fromS(sortKey(kind)))));
    }

    static String partitionKey(String kind, String id) {
        return switch (kind) {
            case "bucket" -> "BUCKET#";
            case "role" -> "ROLE#";
            case "credential" -> "CRED#";
            default -> throw new IllegalArgumentException("kind must be bucket, role or credential: " + kind);
        } + id;
    }

    static String sortKey(String kind) {
        return kind.equals("credential") ? "LONG_LIVED" : "CONFIG";
    }
}
