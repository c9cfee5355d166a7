package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.config.ConfigProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketPatternsTest {

    private static BucketConfig entry(String name, String bucketName) {
        return new BucketConfig(name, "s3", "", false, List.of(), Map.of("bucket_name", bucketName,
                "endpoint", "http://127.0.0.1:1"));
    }

    private static ConfigProvider provider(BucketConfig... entries) {
        return new ConfigProvider() {
            @Override
            public Optional<BucketConfig> bucket(String name) {
                return List.of(entries).stream().filter(b -> b.name().equals(name)).findFirst();
            }

            @Override
            public List<BucketConfig> buckets() {
                return List.of(entries);
            }

            @Override
            public Optional<RoleConfig> role(String roleId) {
                return Optional.empty();
            }

            @Override
            public Optional<StoredCredential> credential(String accessKeyId) {
                return Optional.empty();
            }
        };
    }

    @ParameterizedTest
    @CsvSource({"*,abc,true", "logs-*,logs-2024,true", "logs-*,logs-,true", "logs-*,log-2024,false",
        "*-logs,app-logs,true", "a*b*c,axxbyyc,true", "a*b*c,axxbyy,false", "abc,abc,true", "abc,abd,false"})
    void globMatching(String pattern, String name, boolean expected) {
        assertEquals(expected, BucketPatterns.matches(pattern, name));
    }

    @Test
    void exactNamesWinThenTheMostSpecificPattern() {
        ConfigProvider p = provider(entry("*", "all-{bucket}"), entry("logs-*", "l-{bucket}"),
                entry("logs-special", "special"));
        assertEquals("special", BucketPatterns.resolve(p, "logs-special").get().option("bucket_name").get());
        BucketConfig logs = BucketPatterns.resolve(p, "logs-2024").get();
        assertEquals("logs-2024", logs.name());
        assertEquals("l-logs-2024", logs.option("bucket_name").get());
        assertEquals("logs-*", logs.pattern());
        assertEquals("all-other", BucketPatterns.resolve(p, "other").get().option("bucket_name").get());
        assertNull(BucketPatterns.resolve(p, "logs-special").get().pattern());
    }

    @Test
    void onlyValidBucketNamesFillThePlaceholder() {
        ConfigProvider p = provider(entry("*", "{bucket}"));
        assertTrue(BucketPatterns.resolve(p, "ok-name").isPresent());
        for (String bad : List.of("UPPER", "a..b", "ab", "x/..", "-lead", "192.168.1.1", "*", "a_b")) {
            assertFalse(BucketPatterns.resolve(p, bad).isPresent(), bad);
        }
    }

    @Test
    void placeholderValues() {
        assertEquals("a", Backend.placeholderValue("logs-{bucket}", "logs-a"));
        assertEquals("x", Backend.placeholderValue("p-{bucket}-s", "p-x-s"));
        assertNull(Backend.placeholderValue("p-{bucket}-s", "p--s"));
        assertNull(Backend.placeholderValue("fixed", "fixed"));
        assertNull(Backend.placeholderValue("logs-{bucket}", "other"));
    }

    @Test
    void copySourceRanges() {
        assertEquals(new ByteRange(0, 9, -1), Copies.copySourceRange("bytes=0-9"));
        assertNull(Copies.copySourceRange(null));
        for (String bad : List.of("bytes=5-", "bytes=-5", "bytes=9-0", "items=0-1", "bytes=a-b", "bytes=0-1,3-4")) {
            S3Exception e = assertThrows(S3Exception.class, () -> Copies.copySourceRange(bad), bad);
            assertEquals(S3ErrorCode.InvalidArgument, e.code());
        }
    }

    @Test
    void copySources() {
        assertEquals(new Copies.Source("b", "k/x y", null), Copies.parse("/b/k/x%20y"));
        assertEquals(new Copies.Source("b", "k", null), Copies.parse("b/k"));
        assertEquals(new Copies.Source("b", "k", "3"), Copies.parse("b/k?versionId=3"));
        assertEquals(S3ErrorCode.InvalidArgument, assertThrows(S3Exception.class, () -> Copies.parse("b/k?x=1")).code());
        assertEquals(S3ErrorCode.InvalidArgument, assertThrows(S3Exception.class, () -> Copies.parse("b")).code());
        assertEquals(S3ErrorCode.InvalidArgument, assertThrows(S3Exception.class, () -> Copies.parse("/b/")).code());
    }
}
