package io.multistore.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.PartListing;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.UploadInfo;
import io.multistore.api.backend.UploadListing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link ObjectStore} must show, whatever it stores into. Each backend's tests extend this class
 * and supply only the fixture; the tests use nothing but the SPI.
 * <p>
 * <b>Fixture contract.</b>
 * <ul>
 *   <li>{@link #newStore()} is called before <em>every</em> test and must return a store on an <em>empty</em> bucket
 *       (a fresh temporary directory, a freshly created bucket or container, or a fresh random key space). Servers
 *       may be started once per class in a {@code @BeforeAll} of the subclass; only the bucket must be new.</li>
 *   <li>{@link #closeStore(ObjectStore)} is called after every test (default: {@link ObjectStore#close()}); override
 *       it to also remove the bucket.</li>
 *   <li>A backend that lacks part of the contract names it in {@link #unsupported(Feature)} with a reason, and
 *       {@link #unsupportedKey(String)} (or {@link #supportsKey(String)}) may exclude keys the store cannot hold;
 *       the affected tests are then reported as skipped with that reason rather than silently passing.</li>
 *   <li>{@link #minimumPartSize()} is the smallest size a non-last multipart part may have (5 MiB, as in S3).</li>
 * </ul>
 * Tests are independent of each other and of their order. A subclass typically reads:
 * <pre>{@code
 * class S3ObjectStoreConformanceTest extends ObjectStoreConformance {
 *     // a server started once in @BeforeAll
 *     protected ObjectStore newStore() {
 *         String bucket = "t-" + UUID.randomUUID();  // created empty for this test
 *         createBucket(bucket);
 *         return new S3Backend(...).open(new BucketConfig("b", "s3", "", false, null, Map.of("bucket_name", bucket, ...)));
 *     }
 *     protected void closeStore(ObjectStore store) { store.close(); deleteBucket(...); }
 *     protected String unsupported(Feature feature) {
 *         return feature == Feature.SUPPLEMENTARY_CHARACTER_ORDER ? "the emulator sorts keys as UTF-16" : null;
 *     }
 * }
 * }</pre>
 */
public abstract class ObjectStoreConformance {

    /** S3's minimum size of every part but the last. */
    protected static final int FIVE_MIB = 5 * 1024 * 1024;

    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    private ObjectStore store;

    /** A store on an empty bucket; called before each test. */
    protected abstract ObjectStore newStore() throws Exception;

    /** Releases a store from {@link #newStore()}; called after each test. */
    protected void closeStore(ObjectStore store) throws Exception {
        store.close();
    }

    /**
     * Why this backend does not support {@code feature}, or {@code null} when it does (the default for every
     * feature).
     */
    protected String unsupported(Feature feature) {
        return null;
    }

    /** Whether the store can hold {@code key}; keys it cannot are skipped in the key-shape tests. */
    protected boolean supportsKey(String key) {
        return true;
    }

    /**
     * Why the store cannot hold {@code key}, or {@code null} when it can; the key-shape tests skip such keys with
     * this reason. Defaults to {@link #supportsKey(String)} with a generic reason.
     */
    protected String unsupportedKey(String key) {
        return supportsKey(key) ? null : "the store cannot hold this key";
    }

    /** Smallest size allowed for a multipart part that is not the last. */
    protected int minimumPartSize() {
        return FIVE_MIB;
    }

    /** The store under test. */
    protected final ObjectStore store() {
        return store;
    }

    @BeforeEach
    final void openFixture() throws Exception {
        store = newStore();
        assertNotNull(store, "newStore() returned null");
    }

    @AfterEach
    final void closeFixture() throws Exception {
        if (store != null) {
            closeStore(store);
        }
    }

    // ---------------------------------------------------------------- put / get / head

    @Test
    void putThenGetAndHeadReturnBytesAttributesAndMetadata() throws Exception {
        byte[] data = data(3000, 1);
        ObjectAttributes attributes = new ObjectAttributes("text/plain", "identity",
                "attachment; filename=\"r.txt\"", "de-CH", "max-age=60", "Wed, 21 Oct 2015 07:28:00 GMT",
                Map.of("color", "blue", "owner", "team-a"));

        ObjectMeta put = store.put("docs/report.txt", body(data), attributes, Preconditions.NONE);
        assertEquals(quotedMd5(data), put.etag());

        ObjectMeta head = store.head("docs/report.txt", Preconditions.NONE);
        assertEquals("docs/report.txt", head.key());
        assertEquals(data.length, head.size());
        assertEquals(quotedMd5(data), head.etag());
        assertNotNull(head.lastModified());
        assertAttributes(attributes, head.attributes());

        try (ObjectContent content = store.get("docs/report.txt", null, Preconditions.NONE)) {
            assertNull(content.range());
            assertEquals(data.length, content.length());
            assertEquals(quotedMd5(data), content.meta().etag());
            assertAttributes(attributes, content.meta().attributes());
            assertArrayEquals(data, content.stream().readAllBytes());
        }
    }

    @Test
    void contentTypeWithParametersIsKeptVerbatim() throws Exception {
        require(Feature.CONTENT_TYPE_VERBATIM);
        String contentType = "text/plain; charset=utf-8";
        store.put("typed", body(data(10, 67)), new ObjectAttributes(contentType, null, null, null, null, null,
                Map.of()), Preconditions.NONE);
        assertEquals(contentType, store.head("typed", Preconditions.NONE).attributes().contentType());
        try (ObjectContent content = store.get("typed", null, Preconditions.NONE)) {
            assertEquals(contentType, content.meta().attributes().contentType());
        }
    }

    @Test
    void etagOfSinglePutIsQuotedMd5Hex() {
        byte[] data = "hello world".getBytes(StandardCharsets.UTF_8);
        ObjectMeta meta = store.put("etag", body(data), ObjectAttributes.NONE, Preconditions.NONE);
        assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", meta.etag());
        assertEquals(meta.etag(), store.head("etag", Preconditions.NONE).etag());
    }

    @Test
    void emptyObject() throws Exception {
        store.put("empty", body(new byte[0]), ObjectAttributes.NONE, Preconditions.NONE);
        ObjectMeta head = store.head("empty", Preconditions.NONE);
        assertEquals(0, head.size());
        assertEquals("\"" + EMPTY_MD5 + "\"", head.etag());
        try (ObjectContent content = store.get("empty", null, Preconditions.NONE)) {
            assertEquals(0, content.stream().readAllBytes().length);
        }
        assertS3Error(S3ErrorCode.InvalidRange, () -> store.get("empty", ByteRange.parse("bytes=0-0"), Preconditions.NONE));
    }

    @Test
    void putWithUnknownLength() throws Exception {
        byte[] data = data(70_000, 2);
        ObjectMeta meta = store.put("unknown-length", new ObjectBody(new ByteArrayInputStream(data), -1),
                ObjectAttributes.NONE, Preconditions.NONE);
        assertEquals(data.length, meta.size());
        assertEquals(quotedMd5(data), meta.etag());
        assertArrayEquals(data, read("unknown-length"));
    }

    @Test
    void absentKeyIsNoSuchKey() {
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("missing", Preconditions.NONE));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.get("missing", null, Preconditions.NONE));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.get("missing/deeper/key", null, Preconditions.NONE));
    }

    @Test
    void overwriteReplacesBytesEtagAndAttributes() throws Exception {
        store.put("over", body(data(100, 3)), new ObjectAttributes("text/plain", null, null, null, null, null,
                Map.of("v", "1")), Preconditions.NONE);
        byte[] second = data(50, 4);
        store.put("over", body(second), ObjectAttributes.NONE, Preconditions.NONE);

        ObjectMeta head = store.head("over", Preconditions.NONE);
        assertEquals(second.length, head.size());
        assertEquals(quotedMd5(second), head.etag());
        assertEquals(Map.of(), head.attributes().userMetadata());
        assertArrayEquals(second, read("over"));
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void rangeFirstToLast() throws Exception {
        byte[] data = data(1000, 5);
        put("r", data);
        try (ObjectContent content = store.get("r", ByteRange.parse("bytes=10-19"), Preconditions.NONE)) {
            assertEquals(10, content.range().first());
            assertEquals(19, content.range().last());
            assertEquals(1000, content.range().total());
            assertEquals(10, content.length());
            assertArrayEquals(Arrays.copyOfRange(data, 10, 20), content.stream().readAllBytes());
        }
    }

    @Test
    void rangeOpenEndedAndBeyondTheEndIsClipped() throws Exception {
        byte[] data = data(1000, 6);
        put("r", data);
        try (ObjectContent content = store.get("r", ByteRange.parse("bytes=990-"), Preconditions.NONE)) {
            assertEquals(990, content.range().first());
            assertEquals(999, content.range().last());
            assertArrayEquals(Arrays.copyOfRange(data, 990, 1000), content.stream().readAllBytes());
        }
        try (ObjectContent content = store.get("r", ByteRange.parse("bytes=995-5000"), Preconditions.NONE)) {
            assertEquals(999, content.range().last());
            assertArrayEquals(Arrays.copyOfRange(data, 995, 1000), content.stream().readAllBytes());
        }
    }

    @Test
    void rangeSuffix() throws Exception {
        byte[] data = data(1000, 7);
        put("r", data);
        try (ObjectContent content = store.get("r", ByteRange.parse("bytes=-100"), Preconditions.NONE)) {
            assertEquals(900, content.range().first());
            assertEquals(999, content.range().last());
            assertArrayEquals(Arrays.copyOfRange(data, 900, 1000), content.stream().readAllBytes());
        }
        try (ObjectContent content = store.get("r", ByteRange.parse("bytes=-5000"), Preconditions.NONE)) {
            assertEquals(0, content.range().first());
            assertArrayEquals(data, content.stream().readAllBytes());
        }
    }

    @Test
    void rangeStartingPastTheEndIsInvalidRange() {
        put("r", data(1000, 8));
        assertS3Error(S3ErrorCode.InvalidRange, () -> store.get("r", ByteRange.parse("bytes=1000-"), Preconditions.NONE));
        assertS3Error(S3ErrorCode.InvalidRange, () -> store.get("r", ByteRange.parse("bytes=5000-6000"), Preconditions.NONE));
    }

    // ---------------------------------------------------------------- read preconditions

    @Test
    void ifMatchOnRead() throws Exception {
        ObjectMeta meta = put("p", data(10, 9));
        try (ObjectContent content = store.get("p", null, ifMatch(meta.etag()))) {
            assertEquals(10, content.stream().readAllBytes().length);
        }
        store.head("p", ifMatch("*"));
        store.head("p", ifMatch(meta.etag().replace("\"", "")));
        assertS3Error(S3ErrorCode.PreconditionFailed, () -> store.get("p", null, ifMatch("\"0000\"")));
        assertS3Error(S3ErrorCode.PreconditionFailed, () -> store.head("p", ifMatch("\"0000\"")));
    }

    @Test
    void ifNoneMatchOnRead() throws Exception {
        ObjectMeta meta = put("p", data(10, 10));
        assertS3Error(S3ErrorCode.NotModified, () -> store.get("p", null, ifNoneMatch(meta.etag())));
        assertS3Error(S3ErrorCode.NotModified, () -> store.head("p", ifNoneMatch(meta.etag())));
        try (ObjectContent content = store.get("p", null, ifNoneMatch("\"0000\""))) {
            assertEquals(10, content.stream().readAllBytes().length);
        }
    }

    @Test
    void dateConditionsOnRead() throws Exception {
        ObjectMeta meta = put("p", data(10, 11));
        java.time.Instant before = meta.lastModified().minus(Duration.ofDays(1));
        java.time.Instant after = meta.lastModified().plus(Duration.ofDays(1));

        assertS3Error(S3ErrorCode.NotModified, () -> store.head("p", new Preconditions(null, null, after, null)));
        store.head("p", new Preconditions(null, null, before, null));
        assertS3Error(S3ErrorCode.PreconditionFailed,
                () -> store.get("p", null, new Preconditions(null, null, null, before)));
        try (ObjectContent content = store.get("p", null, new Preconditions(null, null, null, after))) {
            content.stream().readAllBytes();
        }
        // A matching If-Match overrides a failing If-Unmodified-Since (RFC 9110, as S3 does).
        store.head("p", new Preconditions(List.of(meta.etag()), null, null, before));
    }

    // ---------------------------------------------------------------- write preconditions

    @Test
    void ifNoneMatchStarOnPut() throws Exception {
        require(Feature.CONDITIONAL_PUT);
        byte[] first = data(10, 12);
        store.put("c", body(first), ObjectAttributes.NONE, ifNoneMatch("*"));
        assertS3Error(S3ErrorCode.PreconditionFailed,
                () -> store.put("c", body(data(20, 13)), ObjectAttributes.NONE, ifNoneMatch("*")));
        assertArrayEquals(first, read("c"));
    }

    @Test
    void ifMatchOnPut() throws Exception {
        require(Feature.CONDITIONAL_PUT);
        ObjectMeta meta = put("c", data(10, 14));
        byte[] second = data(20, 15);
        assertS3Error(S3ErrorCode.PreconditionFailed,
                () -> store.put("c", body(second), ObjectAttributes.NONE, ifMatch("\"00000000000000000000000000000000\"")));
        assertEquals(meta.etag(), store.head("c", Preconditions.NONE).etag());

        store.put("c", body(second), ObjectAttributes.NONE, ifMatch(meta.etag()));
        assertArrayEquals(second, read("c"));
    }

    @Test
    void ifMatchOnPutOfAbsentKeyIsNoSuchKey() {
        require(Feature.CONDITIONAL_PUT);
        assertS3Error(S3ErrorCode.NoSuchKey,
                () -> store.put("absent", body(data(10, 16)), ObjectAttributes.NONE, ifMatch("\"" + EMPTY_MD5 + "\"")));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("absent", Preconditions.NONE));
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteRemovesAndAbsentKeyIsFine() {
        put("d", data(10, 17));
        store.delete("d");
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("d", Preconditions.NONE));
        store.delete("d");
        store.delete("never/existed");
        assertEquals(List.of(), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    @Test
    void deleteObjectsRemovesEachKeyAndReportsNoFailures() {
        put("batch/a", data(3, 1));
        put("batch/b", data(3, 2));
        put(" batch/padded ", data(3, 3));
        put("batch/padded", data(3, 4));
        Map<String, S3Exception> failed = store.deleteObjects(List.of("batch/a", "batch/b", " batch/padded ",
                "batch/absent"));
        assertEquals(Map.of(), failed);
        assertEquals(List.of("batch/padded"), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    // ---------------------------------------------------------------- key shapes

    @ParameterizedTest
    @ValueSource(strings = {"with space", "tab\tand\u00a0nbsp", "unicode-\u00fc-\u65e5\u672c-\ud83d\ude00", "eq=plus+",
        "percent%20%", "star*tilde~", "a//b", "dir/", "//lead", "semi;colon,comma'quote\"", "hash#query?amp&",
        "back\\slash", "...dots", "x/./y", "colon:angle<>pipe|", "xml-invalid-\u0001-\uffff"})
    void keyShapesRoundTrip(String key) throws Exception {
        String unsupported = unsupportedKey(key);
        assumeTrue(unsupported == null, () -> "key " + key + " not supported: " + unsupported);
        byte[] data = data(33, key.hashCode());
        put(key, data);
        assertEquals(data.length, store.head(key, Preconditions.NONE).size());
        assertArrayEquals(data, read(key));
        assertEquals(List.of(key), keys(listAll(new ListRequest("", null, null, null, 1000))));
        assertEquals(List.of(key), keys(listAll(new ListRequest(key, null, null, null, 1000))));
        store.delete(key);
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head(key, Preconditions.NONE));
        assertEquals(List.of(), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    @Test
    void keyCanBeBothObjectAndPrefix() throws Exception {
        require(Feature.OBJECT_AND_PREFIX);
        byte[] a = data(10, 18);
        byte[] ab = data(20, 19);
        put("a", a);
        put("a/b", ab);
        assertArrayEquals(a, read("a"));
        assertArrayEquals(ab, read("a/b"));

        ListPage page = store.list(new ListRequest("", "/", null, null, 1000));
        assertEquals(List.of("a"), keys(page.objects()));
        assertEquals(List.of("a/"), page.commonPrefixes());

        store.delete("a");
        assertArrayEquals(ab, read("a/b"));
        put("a", a);
        store.delete("a/b");
        assertArrayEquals(a, read("a"));
        assertEquals(List.of("a"), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    // ---------------------------------------------------------------- listing

    @Test
    void listEmptyBucket() {
        ListPage page = store.list(new ListRequest("", "/", null, null, 1000));
        assertEquals(List.of(), page.objects());
        assertEquals(List.of(), page.commonPrefixes());
        assertFalse(page.truncated());
    }

    @Test
    void listSummariesCarrySizeAndEtag() {
        byte[] data = data(1234, 20);
        ObjectMeta meta = put("s/one", data);
        ListPage page = store.list(new ListRequest("s/", null, null, null, 1000));
        assertEquals(1, page.objects().size());
        ObjectSummary summary = page.objects().get(0);
        assertEquals("s/one", summary.key());
        assertEquals(data.length, summary.size());
        assertEquals(meta.etag(), summary.etag());
        assertNotNull(summary.lastModified());
    }

    @Test
    void listOrderIsUtf8ByteOrder() {
        require(Feature.OBJECT_AND_PREFIX);
        assertListOrder(List.of("\u00e9", "ab", "a/b", "a-b", "a", "a/", "a0", "B", "a/b/c", "a.b"),
                List.of("B", "a", "a-b", "a.b", "a/", "a/b", "a/b/c", "a0", "ab", "\u00e9"));
    }

    @Test
    void listOrderIsUtf8ByteOrderWithoutNestedObjects() {
        assertListOrder(List.of("\u00e9", "ab", "a/b", "a-b", "a/c/d", "a0", "B", "a.b", "a~"),
                List.of("B", "a-b", "a.b", "a/b", "a/c/d", "a0", "ab", "a~", "\u00e9"));
    }

    private void assertListOrder(List<String> keys, List<String> expected) {
        keys.forEach(k -> put(k, data(1, 21)));
        assertEquals(expected, utf8Sorted(keys));
        assertEquals(expected, keys(listAll(new ListRequest("", null, null, null, 1000))));
        assertEquals(expected, keys(listAll(new ListRequest("", null, null, null, 3))));
    }

    @Test
    void listOrderIsUtf8ByteOrderBeyondTheBasicPlane() {
        require(Feature.SUPPLEMENTARY_CHARACTER_ORDER);
        // UTF-16 puts U+1F600 (surrogates D83D DE00) before U+E000; UTF-8 (F0.. vs EE..) puts it after.
        List<String> keys = List.of("x\ud83d\ude00", "x\ue000", "x\uffff", "x");
        keys.forEach(k -> put(k, data(1, 22)));
        assertEquals(List.of("x", "x\ue000", "x\uffff", "x\ud83d\ude00"),
                keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    @Test
    void listWithPrefixWithoutNestedObjects() {
        for (String k : List.of("p/a", "p/b/c", "pa", "q", "p-")) {
            put(k, data(1, 23));
        }
        assertEquals(List.of("p/a", "p/b/c"), keys(listAll(new ListRequest("p/", null, null, null, 1000))));
        assertEquals(List.of("p-", "p/a", "p/b/c", "pa"), keys(listAll(new ListRequest("p", null, null, null, 1000))));
        assertEquals(List.of(), keys(listAll(new ListRequest("zzz", null, null, null, 1000))));
    }

    @Test
    void listWithPrefix() {
        require(Feature.OBJECT_AND_PREFIX);
        for (String k : List.of("p/a", "p/b/c", "pa", "q", "p")) {
            put(k, data(1, 23));
        }
        assertEquals(List.of("p/a", "p/b/c"), keys(listAll(new ListRequest("p/", null, null, null, 1000))));
        assertEquals(List.of("p", "p/a", "p/b/c", "pa"), keys(listAll(new ListRequest("p", null, null, null, 1000))));
        assertEquals(List.of(), keys(listAll(new ListRequest("zzz", null, null, null, 1000))));
    }

    @Test
    void listWithDelimiterRollsUpCommonPrefixesWithoutNestedObjects() {
        assertDelimiterRollUp(List.of("a/b", "a/bc", "a/be/g", "a/bd/e", "a/bd/f", "top", "x/y/z", "a-b"),
                List.of("a/bd/", "a/be/"));
    }

    @Test
    void listWithDelimiterRollsUpCommonPrefixes() {
        require(Feature.OBJECT_AND_PREFIX);
        assertDelimiterRollUp(List.of("a/b", "a/bc", "a/b/c", "a/bd/e", "a/bd/f", "top", "x/y/z", "a-b"),
                List.of("a/b/", "a/bd/"));
    }

    /** Stores {@code keys}, then lists the root and {@code a/b} with delimiter {@code /}. */
    private void assertDelimiterRollUp(List<String> keys, List<String> innerPrefixes) {
        for (String k : keys) {
            put(k, data(1, 24));
        }
        ListPage root = store.list(new ListRequest("", "/", null, null, 1000));
        assertEquals(List.of("a-b", "top"), keys(root.objects()));
        assertEquals(List.of("a/", "x/"), root.commonPrefixes());
        assertFalse(root.truncated());

        ListPage inner = store.list(new ListRequest("a/b", "/", null, null, 1000));
        assertEquals(List.of("a/b", "a/bc"), keys(inner.objects()));
        assertEquals(innerPrefixes, inner.commonPrefixes());
    }

    @Test
    void listWithOtherDelimiter() {
        require(Feature.OTHER_DELIMITERS);
        for (String k : List.of("2024-01-a", "2024-01-b", "2024-02-a", "2024", "2025-x/y")) {
            put(k, data(1, 25));
        }
        ListPage page = store.list(new ListRequest("2024-", "-", null, null, 1000));
        assertEquals(List.of(), keys(page.objects()));
        assertEquals(List.of("2024-01-", "2024-02-"), page.commonPrefixes());

        ListPage top = store.list(new ListRequest("", "-", null, null, 1000));
        assertEquals(List.of("2024"), keys(top.objects()));
        assertEquals(List.of("2024-", "2025-"), top.commonPrefixes());
    }

    @Test
    void listStartAfterWithoutNestedObjects() {
        for (String k : List.of("a", "b/1", "c", "d")) {
            put(k, data(1, 26));
        }
        assertEquals(List.of("b/1", "c", "d"), keys(listAll(new ListRequest("", null, "b", null, 1000))));
        assertEquals(List.of("c", "d"), keys(listAll(new ListRequest("", null, "b/1", null, 1000))));
        assertEquals(List.of("c", "d"), keys(listAll(new ListRequest("", null, "bz", null, 1000))));
        assertEquals(List.of(), keys(listAll(new ListRequest("", null, "d", null, 1000))));
        assertEquals(List.of("a", "b/1", "c", "d"), keys(listAll(new ListRequest("", null, "0", null, 1000))));
    }

    @Test
    void listStartAfter() {
        require(Feature.OBJECT_AND_PREFIX);
        for (String k : List.of("a", "b", "b/1", "c", "d")) {
            put(k, data(1, 26));
        }
        assertEquals(List.of("b/1", "c", "d"), keys(listAll(new ListRequest("", null, "b", null, 1000))));
        assertEquals(List.of("c", "d"), keys(listAll(new ListRequest("", null, "bz", null, 1000))));
        assertEquals(List.of(), keys(listAll(new ListRequest("", null, "d", null, 1000))));
        assertEquals(List.of("a", "b", "b/1", "c", "d"), keys(listAll(new ListRequest("", null, "0", null, 1000))));
    }

    @Test
    void listStartAfterNamingCommonPrefixSkipsIt() {
        for (String k : List.of("a/1", "a/2", "b", "c/1", "c/2")) {
            put(k, data(1, 27));
        }
        ListPage page = store.list(new ListRequest("", "/", "a/", null, 1000));
        assertEquals(List.of("b"), keys(page.objects()));
        assertEquals(List.of("c/"), page.commonPrefixes());
    }

    @Test
    void listPagingVisitsEveryEntryOnceInOrder() {
        require(Feature.OBJECT_AND_PREFIX);
        assertPagingVisitsEveryEntryOnceInOrder(true);
    }

    @Test
    void listPagingVisitsEveryEntryOnceInOrderWithoutNestedObjects() {
        assertPagingVisitsEveryEntryOnceInOrder(false);
    }

    /** With {@code nested}, {@code d1} is an object as well as the prefix of others. */
    private void assertPagingVisitsEveryEntryOnceInOrder(boolean nested) {
        List<String> keys = new ArrayList<>();
        for (String dir : List.of("", "d1/", "d1/sub/", "d2/", "e/")) {
            for (String name : List.of("a", "b", "c-d", "\u00f6")) {
                keys.add(dir + name);
            }
        }
        if (nested) {
            keys.add("d1");
        }
        keys.add("d1-");
        keys.forEach(k -> put(k, data(1, 28)));

        for (String delimiter : Arrays.asList(null, "/")) {
            for (String prefix : List.of("", "d1", "d1/")) {
                List<String> expected = entries(store.list(new ListRequest(prefix, delimiter, null, null, 1000)));
                for (int maxKeys : new int[] {1, 2, 3, 7}) {
                    List<String> all = new ArrayList<>();
                    String token = null;
                    int pages = 0;
                    do {
                        ListPage page = store.list(new ListRequest(prefix, delimiter, null, token, maxKeys));
                        List<String> got = entries(page);
                        assertTrue(got.size() <= maxKeys, "page larger than maxKeys " + maxKeys + ": " + got);
                        if (page.truncated()) {
                            assertFalse(got.isEmpty(), "a truncated page must not be empty");
                            assertNotNull(page.nextContinuationToken());
                        }
                        all.addAll(got);
                        token = page.truncated() ? page.nextContinuationToken() : null;
                        assertTrue(++pages <= expected.size() + 1, "paging does not end");
                    } while (token != null);
                    assertEquals(expected, all,
                            "prefix=" + prefix + " delimiter=" + delimiter + " maxKeys=" + maxKeys);
                }
            }
        }
        assertEquals(utf8Sorted(keys), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    @Test
    void listMaxKeysCountsCommonPrefixes() {
        for (String k : List.of("a/1", "b/1", "c", "d/1")) {
            put(k, data(1, 29));
        }
        ListPage first = store.list(new ListRequest("", "/", null, null, 2));
        assertEquals(List.of("a/", "b/"), first.commonPrefixes());
        assertEquals(List.of(), first.objects());
        assertTrue(first.truncated());
        ListPage second = store.list(new ListRequest("", "/", null, first.nextContinuationToken(), 2));
        assertEquals(List.of("c"), keys(second.objects()));
        assertEquals(List.of("d/"), second.commonPrefixes());
        assertFalse(second.truncated());
    }

    // ---------------------------------------------------------------- copy

    @Test
    void copyKeepsAttributes() throws Exception {
        require(Feature.COPY);
        byte[] data = data(5000, 30);
        ObjectAttributes attributes = new ObjectAttributes("image/png", null, null, null, "no-cache", null,
                Map.of("k", "v"));
        ObjectMeta source = store.put("src", body(data), attributes, Preconditions.NONE);

        ObjectMeta copy = store.copy("src", Preconditions.NONE, "dst/copy", null);
        assertEquals(source.etag(), copy.etag());
        ObjectMeta head = store.head("dst/copy", Preconditions.NONE);
        assertEquals(data.length, head.size());
        assertEquals(source.etag(), head.etag());
        assertAttributes(attributes, head.attributes());
        assertArrayEquals(data, read("dst/copy"));
        assertArrayEquals(data, read("src"));
    }

    @Test
    void copyReplacesAttributes() throws Exception {
        require(Feature.COPY);
        byte[] data = data(100, 31);
        store.put("src", body(data), new ObjectAttributes("image/png", null, null, null, null, null, Map.of("k", "v")),
                Preconditions.NONE);
        ObjectAttributes replacement = new ObjectAttributes("text/csv", null, null, null, null, null,
                Map.of("new", "yes"));
        store.copy("src", Preconditions.NONE, "dst", replacement);
        assertAttributes(replacement, store.head("dst", Preconditions.NONE).attributes());
        assertArrayEquals(data, read("dst"));
    }

    @Test
    void copyOverwritesTargetAndChecksSource() throws Exception {
        require(Feature.COPY);
        byte[] data = data(100, 32);
        ObjectMeta source = put("src", data);
        put("dst", data(10, 33));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.copy("absent", Preconditions.NONE, "dst", null));
        assertS3Error(S3ErrorCode.PreconditionFailed, () -> store.copy("src", ifMatch("\"0000\""), "dst", null));
        store.copy("src", ifMatch(source.etag()), "dst", null);
        assertArrayEquals(data, read("dst"));
    }

    // ---------------------------------------------------------------- multipart

    @Test
    void multipartOutOfOrderPartsCompleteToTheConcatenation() throws Exception {
        require(Feature.MULTIPART);
        int size = minimumPartSize();
        byte[] p1 = data(size, 40);
        byte[] p2 = data(size, 41);
        byte[] p3 = data(1000, 42);
        ObjectAttributes attributes = new ObjectAttributes("application/octet-stream", null, null, null, null, null,
                Map.of("origin", "multipart"));
        String id = store.createMultipartUpload("mp/object", attributes);
        assertNotNull(id);

        PartInfo i3 = store.uploadPart("mp/object", id, 3, body(p3));
        PartInfo i1 = store.uploadPart("mp/object", id, 1, body(p1));
        PartInfo i2 = store.uploadPart("mp/object", id, 2, body(p2));
        assertEquals(quotedMd5(p1), i1.etag());
        assertEquals(quotedMd5(p3), i3.etag());

        ObjectMeta meta = store.completeMultipartUpload("mp/object", id, List.of(
                new CompletedPart(1, i1.etag()), new CompletedPart(2, i2.etag()), new CompletedPart(3, i3.etag())));
        String expectedEtag = multipartEtag(p1, p2, p3);
        assertEquals(expectedEtag, meta.etag());

        ObjectMeta head = store.head("mp/object", Preconditions.NONE);
        assertEquals(2L * size + 1000, head.size());
        assertEquals(expectedEtag, head.etag());
        assertAttributes(attributes, head.attributes());
        assertArrayEquals(md5(p1, p2, p3), md5(read("mp/object")));

        try (ObjectContent content = store.get("mp/object", ByteRange.parse("bytes=" + (size - 5) + "-" + (size + 4)),
                Preconditions.NONE)) {
            byte[] expected = new byte[10];
            System.arraycopy(p1, size - 5, expected, 0, 5);
            System.arraycopy(p2, 0, expected, 5, 5);
            assertArrayEquals(expected, content.stream().readAllBytes());
        }
    }

    @Test
    void multipartCompletionHonoursWriteConditions() throws Exception {
        require(Feature.MULTIPART);
        require(Feature.CONDITIONAL_PUT);
        ObjectMeta existing = put("mp/conditional", data(10, 50));
        String id = store.createMultipartUpload("mp/conditional", ObjectAttributes.NONE);
        PartInfo part = store.uploadPart("mp/conditional", id, 1, body(data(100, 51)));
        List<CompletedPart> parts = List.of(new CompletedPart(1, part.etag()));
        assertS3Error(S3ErrorCode.PreconditionFailed,
                () -> store.completeMultipartUpload("mp/conditional", id, parts, ifNoneMatch("*")));
        assertS3Error(S3ErrorCode.PreconditionFailed, () -> store.completeMultipartUpload("mp/conditional", id,
                parts, ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertArrayEquals(data(10, 50), read("mp/conditional"));
        ObjectMeta done = store.completeMultipartUpload("mp/conditional", id, parts, ifMatch(existing.etag()));
        assertEquals(multipartEtag(data(100, 51)), done.etag());
        assertArrayEquals(data(100, 51), read("mp/conditional"));
    }

    @Test
    void multipartPartNumbersMayHaveGapsAndBeReplaced() throws Exception {
        require(Feature.MULTIPART);
        String id = store.createMultipartUpload("gaps", ObjectAttributes.NONE);
        byte[] p2 = data(minimumPartSize(), 43);
        store.uploadPart("gaps", id, 2, body(data(minimumPartSize(), 44)));
        PartInfo i2 = store.uploadPart("gaps", id, 2, body(p2));
        byte[] p7 = data(10, 45);
        PartInfo i7 = store.uploadPart("gaps", id, 7, body(p7));
        ObjectMeta meta = store.completeMultipartUpload("gaps", id,
                List.of(new CompletedPart(2, i2.etag()), new CompletedPart(7, i7.etag())));
        assertEquals(multipartEtag(p2, p7), meta.etag());
        assertArrayEquals(md5(p2, p7), md5(read("gaps")));
    }

    @Test
    void multipartListPartsPages() {
        require(Feature.MULTIPART);
        require(Feature.LIST_PARTS_PAGING);
        String id = store.createMultipartUpload("lp", ObjectAttributes.NONE);
        List<PartInfo> uploaded = new ArrayList<>();
        for (int n : new int[] {4, 1, 3, 2, 5}) {
            uploaded.add(store.uploadPart("lp", id, n, body(data(100 + n, 46 + n))));
        }
        List<PartInfo> listed = new ArrayList<>();
        int marker = 0;
        PartListing page;
        do {
            page = store.listParts("lp", id, marker, 2);
            assertTrue(page.parts().size() <= 2);
            listed.addAll(page.parts());
            marker = page.nextPartNumberMarker();
            assertTrue(listed.size() <= 5, "paging does not end");
        } while (page.truncated());
        assertEquals(List.of(1, 2, 3, 4, 5), listed.stream().map(PartInfo::partNumber).toList());
        for (PartInfo part : listed) {
            PartInfo original = uploaded.stream().filter(u -> u.partNumber() == part.partNumber()).findFirst().get();
            assertEquals(original.etag(), part.etag());
            assertEquals(100 + part.partNumber(), part.size());
        }
        store.abortMultipartUpload("lp", id);
    }

    @Test
    void multipartWrongPartEtagIsInvalidPart() throws Exception {
        require(Feature.MULTIPART);
        String id = store.createMultipartUpload("ip", ObjectAttributes.NONE);
        // part 1 is large enough to come before another part: the missing part 2 is the only fault
        byte[] p1 = data(minimumPartSize(), 50);
        PartInfo i1 = store.uploadPart("ip", id, 1, body(p1));
        assertS3Error(S3ErrorCode.InvalidPart, () -> store.completeMultipartUpload("ip", id,
                List.of(new CompletedPart(1, "\"00000000000000000000000000000000\""))));
        assertS3Error(S3ErrorCode.InvalidPart, () -> store.completeMultipartUpload("ip", id,
                List.of(new CompletedPart(1, i1.etag()), new CompletedPart(2, i1.etag()))));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("ip", Preconditions.NONE));
        // The upload survives a failed completion.
        store.completeMultipartUpload("ip", id, List.of(new CompletedPart(1, i1.etag())));
        assertArrayEquals(p1, read("ip"));
    }

    @Test
    void multipartPartsNotAscendingIsInvalidPartOrder() {
        require(Feature.MULTIPART);
        require(Feature.PART_ORDER_VALIDATION);
        String id = store.createMultipartUpload("order", ObjectAttributes.NONE);
        PartInfo i1 = store.uploadPart("order", id, 1, body(data(minimumPartSize(), 51)));
        PartInfo i2 = store.uploadPart("order", id, 2, body(data(10, 52)));
        assertS3Error(S3ErrorCode.InvalidPartOrder, () -> store.completeMultipartUpload("order", id,
                List.of(new CompletedPart(2, i2.etag()), new CompletedPart(1, i1.etag()))));
        store.abortMultipartUpload("order", id);
    }

    @Test
    void multipartSmallNonLastPartIsEntityTooSmall() {
        require(Feature.MULTIPART);
        require(Feature.MINIMUM_PART_SIZE);
        String id = store.createMultipartUpload("small", ObjectAttributes.NONE);
        PartInfo i1 = store.uploadPart("small", id, 1, body(data(minimumPartSize() - 1, 53)));
        PartInfo i2 = store.uploadPart("small", id, 2, body(data(10, 54)));
        assertS3Error(S3ErrorCode.EntityTooSmall, () -> store.completeMultipartUpload("small", id,
                List.of(new CompletedPart(1, i1.etag()), new CompletedPart(2, i2.etag()))));
        store.abortMultipartUpload("small", id);
    }

    @Test
    void multipartAbortForgetsTheUpload() {
        require(Feature.MULTIPART);
        String id = store.createMultipartUpload("ab", ObjectAttributes.NONE);
        PartInfo i1 = store.uploadPart("ab", id, 1, body(data(10, 55)));
        store.abortMultipartUpload("ab", id);
        assertS3Error(S3ErrorCode.NoSuchUpload,
                () -> store.completeMultipartUpload("ab", id, List.of(new CompletedPart(1, i1.etag()))));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("ab", Preconditions.NONE));
        assertEquals(List.of(), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    @Test
    void multipartUnknownUploadIsNoSuchUpload() {
        require(Feature.MULTIPART);
        require(Feature.UPLOAD_ID_VALIDATION);
        String id = store.createMultipartUpload("real", ObjectAttributes.NONE);
        assertS3Error(S3ErrorCode.NoSuchUpload, () -> store.uploadPart("other-key", id, 1, body(data(10, 57))));
        assertS3Error(S3ErrorCode.NoSuchUpload, () -> store.uploadPart("real", "AAAAAAAAAAAAAAAAAAAAAA", 1,
                body(data(10, 58))));
        store.abortMultipartUpload("real", id);
    }

    @Test
    void multipartUploadsAreListed() {
        require(Feature.MULTIPART);
        require(Feature.LIST_MULTIPART_UPLOADS);
        String b = store.createMultipartUpload("mp/b", ObjectAttributes.NONE);
        String a = store.createMultipartUpload("mp/a", ObjectAttributes.NONE);
        String other = store.createMultipartUpload("other", ObjectAttributes.NONE);

        UploadListing all = store.listMultipartUploads("mp/", null, null, 1000);
        assertEquals(List.of("mp/a", "mp/b"), all.uploads().stream().map(UploadInfo::key).toList());
        assertEquals(List.of(a, b), all.uploads().stream().map(UploadInfo::uploadId).toList());
        assertFalse(all.truncated());
        all.uploads().forEach(u -> assertNotNull(u.initiated()));

        List<String> paged = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        UploadListing page;
        do {
            page = store.listMultipartUploads("", keyMarker, idMarker, 1);
            page.uploads().forEach(u -> paged.add(u.key()));
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
            assertTrue(paged.size() <= 3, "paging does not end");
        } while (page.truncated());
        assertEquals(List.of("mp/a", "mp/b", "other"), paged);

        store.abortMultipartUpload("mp/a", a);
        store.abortMultipartUpload("mp/b", b);
        store.abortMultipartUpload("other", other);
        assertEquals(List.of(), store.listMultipartUploads("", null, null, 1000).uploads());
    }

    @Test
    void completedUploadIsNoLongerListed() {
        require(Feature.MULTIPART);
        require(Feature.LIST_MULTIPART_UPLOADS);
        String id = store.createMultipartUpload("done", ObjectAttributes.NONE);
        PartInfo part = store.uploadPart("done", id, 1, body(data(10, 59)));
        store.completeMultipartUpload("done", id, List.of(new CompletedPart(1, part.etag())));
        assertEquals(List.of(), store.listMultipartUploads("", null, null, 1000).uploads());
    }

    @Test
    void finishedUploadIsNoSuchUpload() {
        require(Feature.MULTIPART);
        require(Feature.UPLOAD_ID_VALIDATION);
        String aborted = store.createMultipartUpload("ab", ObjectAttributes.NONE);
        store.uploadPart("ab", aborted, 1, body(data(10, 55)));
        store.abortMultipartUpload("ab", aborted);
        assertS3Error(S3ErrorCode.NoSuchUpload, () -> store.uploadPart("ab", aborted, 2, body(data(10, 56))));
        assertS3Error(S3ErrorCode.NoSuchUpload, () -> store.listParts("ab", aborted, 0, 1000));

        String done = store.createMultipartUpload("done", ObjectAttributes.NONE);
        PartInfo part = store.uploadPart("done", done, 1, body(data(10, 59)));
        store.completeMultipartUpload("done", done, List.of(new CompletedPart(1, part.etag())));
        assertS3Error(S3ErrorCode.NoSuchUpload, () -> store.listParts("done", done, 0, 1000));
        assertS3Error(S3ErrorCode.NoSuchUpload, () -> store.uploadPart("done", done, 2, body(data(10, 68))));
    }

    // ---------------------------------------------------------------- failures

    @Test
    void failedPutLeavesNoObject() {
        byte[] data = data(200_000, 60);
        assertThrows(RuntimeException.class, () -> store.put("broken",
                new ObjectBody(new FailingInputStream(data, 100_000), data.length), ObjectAttributes.NONE,
                Preconditions.NONE));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("broken", Preconditions.NONE));
        assertEquals(List.of(), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    @Test
    void failedPutKeepsThePreviousVersion() throws Exception {
        byte[] previous = data(1000, 61);
        ObjectMeta meta = put("kept", previous);
        byte[] data = data(200_000, 62);
        assertThrows(RuntimeException.class, () -> store.put("kept",
                new ObjectBody(new FailingInputStream(data, 100_000), data.length), ObjectAttributes.NONE,
                Preconditions.NONE));
        assertEquals(meta.etag(), store.head("kept", Preconditions.NONE).etag());
        assertArrayEquals(previous, read("kept"));
        assertEquals(List.of("kept"), keys(listAll(new ListRequest("", null, null, null, 1000))));
    }

    @Test
    void failedUploadPartKeepsThePreviousPart() throws Exception {
        require(Feature.MULTIPART);
        String id = store.createMultipartUpload("fp", ObjectAttributes.NONE);
        byte[] p1 = data(1000, 63);
        PartInfo i1 = store.uploadPart("fp", id, 1, body(p1));
        byte[] data = data(200_000, 64);
        assertThrows(RuntimeException.class, () -> store.uploadPart("fp", id, 1,
                new ObjectBody(new FailingInputStream(data, 100_000), data.length)));
        store.completeMultipartUpload("fp", id, List.of(new CompletedPart(1, i1.etag())));
        assertArrayEquals(p1, read("fp"));
    }

    @Test
    void getClosedEarlyReleasesTheObject() throws Exception {
        byte[] data = data(1 << 20, 65);
        put("early", data);
        try (ObjectContent content = store.get("early", null, Preconditions.NONE)) {
            byte[] head = content.stream().readNBytes(10);
            assertArrayEquals(Arrays.copyOf(data, 10), head);
        }
        assertArrayEquals(data, read("early"));
        byte[] next = data(100, 66);
        put("early", next);
        assertArrayEquals(next, read("early"));
        store.delete("early");
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("early", Preconditions.NONE));
    }

    // ================================================================ helpers for subclasses and tests

    /** Skips the calling test when the backend opted out of {@code feature}. */
    protected final void require(Feature feature) {
        String reason = unsupported(feature);
        assumeTrue(reason == null, () -> feature + " not supported: " + reason);
    }

    // ---------------------------------------------------------------- copies from another store

    /**
     * Another bucket's store as a copy source: reads go to the store under test (an object put there first), but
     * it is another store, so {@code copyFrom} and {@code uploadPartCopy} take their cross-store path (streamed,
     * unless the backend recognises the source). The stream fails after {@code failAfter} bytes if not negative.
     */
    private ObjectStore otherStore(int failAfter) {
        ObjectStore target = store;
        return new ObjectStore() {
            @Override
            public ObjectMeta head(String key, Preconditions conditions) {
                return target.head(key, conditions);
            }

            @Override
            public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
                ObjectContent c = target.get(key, range, conditions);
                if (failAfter < 0) {
                    return c;
                }
                try (ObjectContent closing = c) {
                    byte[] bytes = c.stream().readAllBytes();
                    return new ObjectContent(c.meta(), new FailingInputStream(bytes, failAfter), c.range());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions c) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void delete(String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ListPage list(ListRequest request) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void copyFromAnotherStoreKeepsOrReplacesAttributesAndFailsWhole() throws Exception {
        byte[] data = data(300_000, 91);
        ObjectAttributes attributes = new ObjectAttributes("text/x-source", null, null, null, null, null,
                Map.of("origin", "other"));
        store.put("xsrc", body(data), attributes, Preconditions.NONE);
        ObjectMeta copied = store.copyFrom(otherStore(-1), "xsrc", Preconditions.NONE, "xdst", null);
        assertEquals(data.length, copied.size());
        assertArrayEquals(data, read("xdst"));
        assertAttributes(attributes, store.head("xdst", Preconditions.NONE).attributes());
        ObjectAttributes replaced = new ObjectAttributes("text/x-new", null, null, null, null, null, Map.of());
        store.copyFrom(otherStore(-1), "xsrc", Preconditions.NONE, "xnew", replaced);
        assertAttributes(replaced, store.head("xnew", Preconditions.NONE).attributes());
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.copyFrom(otherStore(-1), "none", Preconditions.NONE,
                "xdst2", null));
        // the source fails mid-stream: no target, not even a partial one
        assertThrows(RuntimeException.class, () -> store.copyFrom(otherStore(100_000), "xsrc", Preconditions.NONE,
                "xbroken", null));
        assertS3Error(S3ErrorCode.NoSuchKey, () -> store.head("xbroken", Preconditions.NONE));
    }

    @Test
    void uploadPartCopyFromAnotherStoreCopiesRanges() throws Exception {
        require(Feature.MULTIPART);
        int part = minimumPartSize();
        byte[] data = data(part + 1000, 92);
        put("psrc", data);
        String uploadId = store.createMultipartUpload("passembled", ObjectAttributes.NONE);
        PartInfo p1 = store.uploadPartCopy(otherStore(-1), "psrc", new ByteRange(0, part - 1, -1),
                Preconditions.NONE, "passembled", uploadId, 1);
        PartInfo p2 = store.uploadPartCopy(otherStore(-1), "psrc", new ByteRange(part, data.length - 1, -1),
                Preconditions.NONE, "passembled", uploadId, 2);
        assertS3Error(S3ErrorCode.InvalidRange, () -> store.uploadPartCopy(otherStore(-1), "psrc",
                new ByteRange(part, data.length, -1), Preconditions.NONE, "passembled", uploadId, 3));
        store.completeMultipartUpload("passembled", uploadId, List.of(new CompletedPart(1, p1.etag()),
                new CompletedPart(2, p2.etag())));
        assertArrayEquals(data, read("passembled"));
    }

    /** Deterministic pseudo-random bytes. */
    protected static byte[] data(int size, int seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static ObjectBody body(byte[] data) {
        return new ObjectBody(new ByteArrayInputStream(data), data.length);
    }

    protected final ObjectMeta put(String key, byte[] data) {
        return store.put(key, body(data), ObjectAttributes.NONE, Preconditions.NONE);
    }

    protected final byte[] read(String key) throws IOException {
        try (ObjectContent content = store.get(key, null, Preconditions.NONE)) {
            return content.stream().readAllBytes();
        }
    }

    protected static Preconditions ifMatch(String etag) {
        return new Preconditions(List.of(etag), null, null, null);
    }

    protected static Preconditions ifNoneMatch(String etag) {
        return new Preconditions(null, List.of(etag), null, null);
    }

    /** Asserts that {@code call} throws an {@link S3Exception} with {@code code}. */
    protected static S3Exception assertS3Error(S3ErrorCode code, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(code, e.code(), () -> "expected " + code + " but got " + e.code() + ": " + e.getMessage());
        return e;
    }

    /** Every object of a listing, following continuation tokens to the end. */
    protected final List<ObjectSummary> listAll(ListRequest request) {
        List<ObjectSummary> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = request.continuationToken();
        do {
            ListPage page = store.list(new ListRequest(request.prefix(), request.delimiter(), request.startAfter(),
                    token, request.maxKeys()));
            for (ObjectSummary summary : page.objects()) {
                assertTrue(seen.add(summary.key()), "listed twice: " + summary.key());
                all.add(summary);
            }
            token = page.truncated() ? page.nextContinuationToken() : null;
            if (page.truncated()) {
                assertNotNull(token, "truncated page without continuation token");
            }
        } while (token != null);
        return all;
    }

    protected static List<String> keys(List<ObjectSummary> summaries) {
        return summaries.stream().map(ObjectSummary::key).toList();
    }

    /** Objects and common prefixes of a page merged in key order, as S3 counts them against maxKeys. */
    protected static List<String> entries(ListPage page) {
        List<String> merged = new ArrayList<>(keys(page.objects()));
        merged.addAll(page.commonPrefixes());
        return utf8Sorted(merged);
    }

    /** Sorts by UTF-8 bytes, unsigned: S3's key order. */
    protected static List<String> utf8Sorted(List<String> keys) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing((String k) -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return sorted;
    }

    protected static String quotedMd5(byte[] data) {
        return "\"" + HexFormat.of().formatHex(md5(data)) + "\"";
    }

    /** S3's multipart ETag: MD5 of the concatenated binary part MD5s, hex, then {@code -N}. */
    protected static String multipartEtag(byte[]... parts) {
        MessageDigest digest = md5Digest();
        for (byte[] part : parts) {
            digest.update(md5(part));
        }
        return "\"" + HexFormat.of().formatHex(digest.digest()) + "-" + parts.length + "\"";
    }

    protected static byte[] md5(byte[]... chunks) {
        MessageDigest digest = md5Digest();
        for (byte[] chunk : chunks) {
            digest.update(chunk);
        }
        return digest.digest();
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertAttributes(ObjectAttributes expected, ObjectAttributes actual) {
        assertEquals(expected.contentType(), actual.contentType(), "Content-Type");
        assertEquals(expected.contentEncoding(), actual.contentEncoding(), "Content-Encoding");
        assertEquals(expected.contentDisposition(), actual.contentDisposition(), "Content-Disposition");
        assertEquals(expected.contentLanguage(), actual.contentLanguage(), "Content-Language");
        assertEquals(expected.cacheControl(), actual.cacheControl(), "Cache-Control");
        assertEquals(expected.expires(), actual.expires(), "Expires");
        assertEquals(new TreeMap<>(expected.userMetadata()), new TreeMap<>(actual.userMetadata()), "user metadata");
    }

    /** Gives {@code failAfter} bytes of {@code data}, then fails as a dropped client connection would. */
    public static final class FailingInputStream extends InputStream {
        private final byte[] data;
        private final int failAfter;
        private int position;

        public FailingInputStream(byte[] data, int failAfter) {
            this.data = data;
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= failAfter) {
                throw new IOException("connection reset by peer (simulated)");
            }
            int n = Math.min(len, failAfter - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
