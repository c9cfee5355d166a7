package io.multistore.backend.fs.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ContentRange;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.StoredChecksums;
import io.multistore.api.backend.PartListing;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.UploadInfo;
import io.multistore.api.backend.UploadListing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bucket stored in a local directory.
 *
 * <h2>Layout</h2>
 * A key is split at every {@code /} into segments (empty ones included, so {@code a//b} and {@code dir/} are keys
 * like any other). Every segment but the last names a directory, the last names the object file:
 * <pre>
 *   key "photos/2024/cat.jpg"  →  ROOT/photos#/2024#/cat.jpg
 *   key "photos"               →  ROOT/photos           (coexists with the directory photos#)
 *   key "a//b"                 →  ROOT/a#/#/b
 *   key "dir/"                 →  ROOT/dir#/%
 *   key "50% off/x.txt"        →  ROOT/50%25 off#/x.txt
 * </pre>
 * <ul>
 *   <li>Segment bytes (UTF-8) other than ASCII letters, digits and {@code  !$&'()+,-.;=@[]^_`{}~} are written as
 *       {@code %XX}, as is a leading {@code .}: names cannot be {@code .} or {@code ..}, cannot contain a separator
 *       or NUL, and do not depend on the JVM's file name encoding.</li>
 *   <li>Directories carry the suffix {@code #}, which the encoding never ends an object name with, so an object
 *       {@code a} and the prefix {@code a/} never collide. The empty segment is the directory {@code #}, or the
 *       object file {@code %} (a bare {@code %} is never an escape).</li>
 *   <li>Names starting with {@code .} are not keys: {@code ROOT/.multistore/} holds staging files ({@code tmp/}) and
 *       multipart uploads ({@code uploads/<id>/upload}, {@code part-00001}, ...).</li>
 *   <li>An encoded segment longer than 255 bytes cannot be stored: {@code KeyTooLongError}.</li>
 * </ul>
 * Each object file is the object's bytes followed by its metadata ({@link ObjectFile}), so one rename publishes
 * data and metadata together.
 *
 * <h2>Writes</h2>
 * Bodies stream into a fresh file under {@code .multistore/tmp} (same filesystem), are fsynced and length-checked,
 * then renamed over the target with {@code ATOMIC_MOVE}: readers see the old object or the new one, never a mix,
 * and a failed body leaves nothing. Commits to one path are serialised by a process-wide striped lock, which makes
 * {@code If-Match} / {@code If-None-Match: *} atomic with respect to every other write of this process.
 *
 * <h2>Containment</h2>
 * Encoded names cannot climb out of the root; symbolic links can, so directories are resolved to their real path
 * and must stay under the real root, object files are opened without following links, and listings never descend
 * into links.
 */
public final class FsObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(FsObjectStore.class);

    /** S3's minimum size of every part but the last. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final String STAGING = ".multistore";
    static final String UPLOAD_RECORD = "upload";
    private static final int MAX_PART_NUMBER = 10_000;
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Pattern PART_NAME = Pattern.compile("part-(\\d{5})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ReentrantLock[] STRIPES = new ReentrantLock[256];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private final Path root;
    private final Path realRoot;
    private final Path tmp;
    private final Path uploads;
    /** Uploads completed in the last hour, so a retried completion answers as the first did. */
    private final CompletedUploads completedUploads =
            new CompletedUploads(1024, java.util.concurrent.TimeUnit.HOURS.toNanos(1), System::nanoTime);

    /**
     * Opens (creating if needed) the directory {@code root}.
     *
     * @throws S3Exception {@code ServiceUnavailable} when the directory cannot be created or is not a directory
     */
    public FsObjectStore(Path root) {
        this(root, true);
    }

    /**
     * @param create whether to create the directory when it is absent; when not (a gateway-mode bucket), an absent
     *               directory is a bucket that does not exist ({@code NoSuchBucket}) until {@link #createBucket}
     */
    public FsObjectStore(Path root, boolean create) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(STAGING).resolve("tmp");
        this.uploads = this.root.resolve(STAGING).resolve("uploads");
        if (!create && !Files.isDirectory(this.root)) {
            this.realRoot = this.root;
            return;
        }
        try {
            Files.createDirectories(this.root);
            this.realRoot = this.root.toRealPath();
            Files.createDirectories(tmp);
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, null, "cannot use directory " + this.root
                    + ": " + e, e);
        }
    }

    /** The directory, resolved to its real path. */
    Path realRoot() {
        return realRoot;
    }

    // ------------------------------------------------------------------ the bucket itself

    @Override
    public void createBucket() {
        try {
            Files.createDirectories(root);
            Files.createDirectories(tmp);
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw io("create", root, e);
        }
    }

    /** Removes the directory when it holds no objects; uploads in progress and staging files go with it. */
    @Override
    public void deleteBucket() {
        if (!Files.isDirectory(root)) {
            throw S3Exception.withDetail(S3ErrorCode.NoSuchBucket, S3ErrorCode.NoSuchBucket.defaultMessage(),
                    "backend root " + root + " does not exist");
        }
        try (Stream<Path> entries = Files.list(root)) {
            if (entries.anyMatch(entry -> !entry.getFileName().toString().equals(STAGING))) {
                throw new S3Exception(S3ErrorCode.BucketNotEmpty);
            }
        } catch (IOException e) {
            throw io("list", root, e);
        }
        deleteTree(root);
        LOG.info("Deleted bucket directory {}", root);
    }

    // ------------------------------------------------------------------ objects

    @Override
    public ObjectMeta head(String key, Preconditions conditions) {
        Path file = existingPath(key);
        try (FileChannel channel = openObject(file)) {
            ObjectMeta meta = readMeta(channel, file, key);
            conditions.checkRead(meta);
            return meta;
        } catch (IOException e) {
            throw io("read", file, e);
        }
    }

    @Override
    public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
        Path file = existingPath(key);
        FileChannel channel = openObject(file);
        try {
            ObjectMeta meta = readMeta(channel, file, key);
            conditions.checkRead(meta);
            ContentRange served = range == null ? null : range.resolve(meta.size());
            long first = served == null ? 0 : served.first();
            long length = served == null ? meta.size() : served.length();
            channel.position(first);
            return new ObjectContent(meta, new ChannelInputStream(channel, length), served);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof IOException io) {
                throw io("read", file, io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions conditions) {
        Path target = objectPath(key);
        if (!conditions.isEmpty()) {
            conditions.checkWrite(headOrNull(key)); // fail before taking the body; checked again at commit
        }
        Path temp = newTempFile();
        boolean committed = false;
        try {
            ObjectFile.Meta meta;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                MessageDigest md5 = md5();
                long size = copyBody(body, out, md5);
                meta = new ObjectFile.Meta(key, size, quote(md5.digest()), now(), 0,
                        attributes == null ? ObjectAttributes.NONE : attributes,
                        StoredChecksums.of(body.checksum().get()));
                seal(out, meta, temp);
            }
            commit(key, temp, target, conditions);
            committed = true;
            return meta.toObjectMeta();
        } catch (IOException e) {
            throw io("write", temp, e);
        } finally {
            if (!committed) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public void delete(String key) {
        Path file;
        try {
            file = existingPath(key);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NoSuchKey) {
                return;
            }
            throw e;
        }
        Path parent = file.getParent();
        ReentrantLock lock = stripe(file);
        lock.lock();
        try {
            checkContained(parent);
            Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            return; // no such directory: no such key
        } catch (IOException e) {
            throw io("delete", file, e);
        } finally {
            lock.unlock();
        }
        prune(parent);
    }

    @Override
    public ListPage list(ListRequest request) {
        if (!Files.isDirectory(root)) {
            throw io("list", root, new NoSuchFileException(root.toString()));
        }
        try {
            return Lister.list(root, request, this::summary);
        } catch (IOException e) {
            throw io("list", root, e);
        }
    }

    @Override
    public ObjectMeta copy(String sourceKey, Preconditions sourceConditions, String targetKey,
            ObjectAttributes attributes) {
        Path source = existingPath(sourceKey);
        Path target = objectPath(targetKey);
        Path temp = null;
        boolean committed = false;
        try {
            ObjectFile.Meta meta;
            try (FileChannel in = openObject(source)) {
                ObjectFile.Meta sourceMeta = ObjectFile.read(in, source);
                sourceConditions.checkRead(withKey(sourceMeta, sourceKey));
                temp = newTempFile();
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    // Copied through a buffer (not transferTo) to compute the MD5: like S3, a copy is a single-part
                    // object whose ETag is the MD5 of its bytes, even when the source was a multipart upload.
                    MessageDigest md5 = md5();
                    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
                    long position = 0;
                    while (position < sourceMeta.size()) {
                        buffer.clear().limit((int) Math.min(BUFFER_SIZE, sourceMeta.size() - position));
                        int n = in.read(buffer, position);
                        if (n < 0) {
                            throw new IOException("unexpected end of file: " + source);
                        }
                        position += n;
                        buffer.flip();
                        md5.update(buffer.array(), 0, buffer.limit());
                        writeFully(out, buffer);
                    }
                    // the same bytes have the same full-object checksum; a composite one describes parts the copy
                    // does not have
                    ObjectChecksum sourceChecksum = sourceMeta.checksums().checksum();
                    meta = new ObjectFile.Meta(targetKey, sourceMeta.size(), quote(md5.digest()), now(), 0,
                            attributes == null ? sourceMeta.attributes() : attributes.tags() != null ? attributes
                                    : attributes.withTags(sourceMeta.attributes().tags()), StoredChecksums.of(
                                    sourceChecksum != null && ObjectChecksum.FULL_OBJECT.equals(sourceChecksum.type())
                                            ? sourceChecksum : null));
                    seal(out, meta, temp);
                }
            }
            commit(targetKey, temp, target, Preconditions.NONE);
            committed = true;
            return meta.toObjectMeta();
        } catch (IOException e) {
            throw io("copy", temp == null ? source : temp, e);
        } finally {
            if (!committed && temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    // ------------------------------------------------------------------ tags

    @Override
    public boolean supportsTags() {
        return true;
    }

    @Override
    public Map<String, String> getTags(String key, String versionId) {
        requireNoVersion(versionId);
        Map<String, String> tags = head(key, Preconditions.NONE).attributes().tags();
        return tags == null ? Map.of() : tags;
    }

    /**
     * Replaces the tags in the object's metadata block: the object is rewritten beside itself with the new block
     * and renamed over the old one under the key's lock, so readers see the old file or the new one, and a
     * concurrent write either precedes the retagging (and is retagged) or follows it.
     */
    @Override
    public String putTags(String key, String versionId, Map<String, String> tags) {
        requireNoVersion(versionId);
        Path file = existingPath(key);
        ReentrantLock lock = stripe(file);
        Path temp = null;
        boolean committed = false;
        lock.lock();
        try (FileChannel in = openObject(file)) {
            ObjectFile.Meta old = ObjectFile.read(in, file);
            temp = newTempFile();
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                long position = 0;
                while (position < old.size()) {
                    position += in.transferTo(position, old.size() - position, out);
                }
                out.position(old.size());
                seal(out, new ObjectFile.Meta(old.key(), old.size(), old.etag(), old.lastModified(), old.parts(),
                        old.attributes().withTags(tags)), temp);
            }
            commit(key, temp, file, Preconditions.NONE);
            committed = true;
            return null;
        } catch (IOException e) {
            throw io("retag", file, e);
        } finally {
            lock.unlock();
            if (!committed && temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static void requireNoVersion(String versionId) {
        if (versionId != null) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid version id specified");
        }
    }

    // ------------------------------------------------------------------ multipart

    @Override
    public String createMultipartUpload(String key, ObjectAttributes attributes) {
        return createMultipartUpload(key, attributes, null);
    }

    /** The checksum algorithm and type are kept in the upload record. */
    @Override
    public String createMultipartUpload(String key, ObjectAttributes attributes, ObjectChecksum checksum) {
        objectPath(key); // rejects keys the layout cannot hold before any part is sent
        String uploadId = randomId();
        Path staging = tmp.resolve(uploadId + ".upload");
        try {
            Files.createDirectory(staging);
            Path record = staging.resolve(UPLOAD_RECORD);
            try (FileChannel out = FileChannel.open(record, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                seal(out, new ObjectFile.Meta(key, 0, "\"\"", now(), 0,
                        attributes == null ? ObjectAttributes.NONE : attributes, StoredChecksums.of(checksum)),
                        record);
            }
            Files.move(staging, uploads.resolve(uploadId), StandardCopyOption.ATOMIC_MOVE);
            return uploadId;
        } catch (IOException e) {
            deleteTree(staging);
            throw io("create upload", staging, e);
        }
    }

    @Override
    public PartInfo uploadPart(String key, String uploadId, int partNumber, ObjectBody body) {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw new S3Exception(S3ErrorCode.InvalidArgument,
                    "Part number must be an integer between 1 and " + MAX_PART_NUMBER + ", inclusive");
        }
        Path dir = uploads(uploadId);
        ObjectChecksum expected = uploadRecord(dir, key).checksums().checksum();
        ObjectChecksum declared = body.checksum().get();
        if (expected != null && declared != null && !expected.algorithm().equals(declared.algorithm())) {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Checksum Type mismatch occurred, expected checksum "
                    + "Type: " + expected.algorithm().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                    + declared.algorithm().toLowerCase(Locale.ROOT));
        }
        Path temp = newTempFile();
        boolean committed = false;
        try {
            ObjectFile.Meta meta;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                MessageDigest md5 = md5();
                long size = copyBody(body, out, md5);
                ObjectChecksum partChecksum = body.checksum().get();
                meta = new ObjectFile.Meta(key, size, quote(md5.digest()), now(), 0, ObjectAttributes.NONE,
                        StoredChecksums.of(partChecksum == null ? null
                                : new ObjectChecksum(partChecksum.algorithm(), partChecksum.value(),
                                        expected == null ? ObjectChecksum.FULL_OBJECT : expected.type())));
                seal(out, meta, temp);
            }
            try {
                Files.move(temp, dir.resolve(partName(partNumber)), StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                if (!Files.isDirectory(dir)) {
                    throw new S3Exception(S3ErrorCode.NoSuchUpload); // aborted meanwhile
                }
                throw e;
            }
            committed = true;
            return new PartInfo(partNumber, meta.etag(), meta.size(), meta.lastModified(),
                    meta.checksums().checksum());
        } catch (IOException e) {
            throw io("write part", temp, e);
        } finally {
            if (!committed) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) {
        return completeMultipartUpload(key, uploadId, parts, Preconditions.NONE);
    }

    /** Conditions are checked first, and again atomically with the commit (the key's lock). */
    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts,
            Preconditions conditions) {
        return completeMultipartUpload(key, uploadId, parts, conditions, null);
    }

    /** The object keeps {@code checksum} and its parts' sizes and checksums. */
    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts,
            Preconditions conditions, ObjectChecksum checksum) {
        ObjectMeta again = completedUploads.find(key, uploadId, parts);
        if (again != null) {
            return again;
        }
        if (!conditions.isEmpty()) {
            conditions.checkWrite(headOrNull(key));
        }
        Path dir = uploadDirectory(key, uploadId);
        ObjectFile.Meta upload = uploadRecord(dir, key);
        Path target = objectPath(key);
        if (parts == null || parts.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MalformedXML, "You must specify at least one part");
        }
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i).partNumber() <= parts.get(i - 1).partNumber()) {
                throw new S3Exception(S3ErrorCode.InvalidPartOrder);
            }
        }
        // First pass, before writing anything: every part exists with the named ETag, then every part but the
        // last is large enough (a missing part is reported before a small one).
        List<ObjectFile.Meta> metas = new ArrayList<>(parts.size());
        for (CompletedPart part : parts) {
            metas.add(partMeta(dir, part));
        }
        MessageDigest md5OfMd5s = md5();
        for (int i = 0; i < parts.size(); i++) {
            if (i < parts.size() - 1 && metas.get(i).size() < MIN_PART_SIZE) {
                throw new S3Exception(S3ErrorCode.EntityTooSmall, "Part " + parts.get(i).partNumber()
                        + " is smaller than the minimum allowed size of 5 MiB");
            }
            md5OfMd5s.update(HexFormat.of().parseHex(unquote(metas.get(i).etag())));
        }
        Path temp = newTempFile();
        boolean committed = false;
        try {
            ObjectFile.Meta meta;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                long total = 0;
                List<PartInfo> kept = new ArrayList<>(parts.size());
                for (CompletedPart completed : parts) {
                    Path file = dir.resolve(partName(completed.partNumber()));
                    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                        ObjectFile.Meta part = ObjectFile.read(in, file);
                        if (!unquote(part.etag()).equals(unquote(completed.etag()))) {
                            throw new S3Exception(S3ErrorCode.InvalidPart); // replaced since the first pass
                        }
                        long position = 0;
                        while (position < part.size()) {
                            long n = in.transferTo(position, part.size() - position, out);
                            if (n <= 0) {
                                throw new IOException("unexpected end of file: " + file);
                            }
                            position += n;
                        }
                        total += part.size();
                        kept.add(new PartInfo(completed.partNumber(), null, part.size(), null,
                                part.checksums().checksum()));
                    } catch (NoSuchFileException e) {
                        throw Files.isDirectory(dir) ? new S3Exception(S3ErrorCode.InvalidPart)
                                : new S3Exception(S3ErrorCode.NoSuchUpload);
                    }
                }
                String etag = "\"" + HexFormat.of().formatHex(md5OfMd5s.digest()) + "-" + parts.size() + "\"";
                meta = new ObjectFile.Meta(key, total, etag, now(), parts.size(), upload.attributes(),
                        new StoredChecksums(checksum, parts.size(), kept));
                seal(out, meta, temp);
            }
            commit(key, temp, target, conditions);
            committed = true;
            removeUpload(dir);
            ObjectMeta result = meta.toObjectMeta();
            completedUploads.remember(key, uploadId, parts, result);
            return result;
        } catch (IOException e) {
            throw io("complete upload", temp, e);
        } finally {
            if (!committed) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public void abortMultipartUpload(String key, String uploadId) {
        Path dir = uploadDirectory(key, uploadId);
        if (!removeUpload(dir)) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload);
        }
    }

    @Override
    public PartListing listParts(String key, String uploadId, int partNumberMarker, int maxParts) {
        Path dir = uploads(uploadId);
        ObjectChecksum checksum = uploadRecord(dir, key).checksums().checksum();
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path path : stream) {
                var matcher = PART_NAME.matcher(path.getFileName().toString());
                if (matcher.matches()) {
                    int number = Integer.parseInt(matcher.group(1));
                    if (number > partNumberMarker) {
                        numbers.add(number);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload);
        } catch (IOException e) {
            throw io("list parts", dir, e);
        }
        numbers.sort(null);
        List<PartInfo> parts = new ArrayList<>();
        int limit = Math.max(0, maxParts);
        for (int number : numbers) {
            if (parts.size() == limit) {
                return new PartListing(parts, true, parts.isEmpty() ? partNumberMarker : last(parts), checksum);
            }
            Path file = dir.resolve(partName(number));
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                ObjectFile.Meta meta = ObjectFile.read(in, file);
                parts.add(new PartInfo(number, meta.etag(), meta.size(), meta.lastModified(),
                        meta.checksums().checksum()));
            } catch (NoSuchFileException e) {
                continue; // the upload finished or was aborted while we listed
            } catch (IOException e) {
                throw io("list parts", file, e);
            }
        }
        return new PartListing(parts, false, parts.isEmpty() ? partNumberMarker : last(parts), checksum);
    }

    /**
     * Lists uploads by key, then initiation time. All upload records of the bucket are read for each call: uploads
     * in progress are few, unlike objects.
     */
    @Override
    public UploadListing listMultipartUploads(String prefix, String keyMarker, String uploadIdMarker,
            int maxUploads) {
        String wantedPrefix = prefix == null ? "" : prefix;
        List<UploadInfo> all = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(uploads)) {
            for (Path dir : stream) {
                String id = dir.getFileName().toString();
                if (!UPLOAD_ID.matcher(id).matches()) {
                    continue;
                }
                Path record = dir.resolve(UPLOAD_RECORD);
                try (FileChannel in = FileChannel.open(record, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    ObjectFile.Meta meta = ObjectFile.read(in, record);
                    if (meta.key().startsWith(wantedPrefix)) {
                        all.add(new UploadInfo(meta.key(), id, meta.lastModified()));
                    }
                } catch (NoSuchFileException e) {
                    continue; // completed or aborted while we listed
                }
            }
        } catch (IOException e) {
            throw io("list uploads", uploads, e);
        }
        all.sort(Comparator.comparing(UploadInfo::key, KeyCodec.KEY_ORDER).thenComparing(UploadInfo::initiated)
                .thenComparing(UploadInfo::uploadId));
        int from = 0;
        if (keyMarker != null && !keyMarker.isEmpty()) {
            from = all.size();
            for (int i = 0; i < all.size(); i++) {
                UploadInfo u = all.get(i);
                int c = KeyCodec.compare(u.key(), keyMarker);
                if (c > 0) {
                    from = i;
                    break;
                }
                if (c == 0 && uploadIdMarker != null && u.uploadId().equals(uploadIdMarker)) {
                    from = i + 1;
                    break;
                }
            }
        }
        int to = Math.min(all.size(), from + Math.max(0, maxUploads));
        List<UploadInfo> page = all.subList(from, to);
        boolean truncated = to < all.size();
        UploadInfo last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new UploadListing(page, truncated, truncated && last != null ? last.key() : null,
                truncated && last != null ? last.uploadId() : null);
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * Deletes staging files and multipart uploads untouched for {@code maxAge}: what a crash or an abandoned client
     * left behind.
     *
     * @return how many entries were removed
     */
    public int sweep(Duration maxAge) {
        return sweep(root, maxAge);
    }

    /**
     * Removes staging files and multipart uploads older than {@code maxAge} under a bucket directory, creating
     * nothing: a directory deleted meanwhile (DeleteBucket) is simply skipped.
     */
    static int sweep(Path root, Duration maxAge) {
        Instant cutoff = Instant.now().minus(maxAge);
        Path staging = root.resolve(STAGING);
        int removed = sweep(staging.resolve("tmp"), cutoff) + sweep(staging.resolve("uploads"), cutoff);
        if (removed > 0) {
            LOG.info("Removed {} stale staging files and multipart uploads under {}", removed, root);
        } else {
            LOG.debug("No stale staging files or multipart uploads under {}", root);
        }
        return removed;
    }

    private static int sweep(Path dir, Instant cutoff) {
        int removed = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                try {
                    Instant modified = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant();
                    if (!modified.isAfter(cutoff)) {
                        deleteTree(entry);
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        } catch (NoSuchFileException e) {
            // the bucket's directory was deleted: nothing to sweep
        } catch (IOException e) {
            LOG.warn("Cannot sweep {}: {}", dir, e.toString());
        }
        return removed;
    }

    // ------------------------------------------------------------------ paths

    /**
     * The file of {@code key} for a read: a key the layout cannot hold (but S3 could) cannot have been stored, so it
     * is absent rather than invalid.
     */
    private Path existingPath(String key) {
        try {
            return objectPath(key);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.KeyTooLongError && KeyCodec.utf8Length(key) <= KeyCodec.MAX_KEY_BYTES) {
                throw new S3Exception(S3ErrorCode.NoSuchKey);
            }
            throw e;
        }
    }

    /** The file of {@code key}, by the layout alone (no I/O). */
    Path objectPath(String key) {
        KeyCodec.validate(key);
        String[] segments = key.split("/", -1);
        Path path = root;
        for (int i = 0; i < segments.length - 1; i++) {
            path = path.resolve(KeyCodec.directoryName(segments[i]));
        }
        return path.resolve(KeyCodec.objectName(segments[segments.length - 1]));
    }

    /** Opens an object file for reading without following a link; {@code NoSuchKey} when absent. */
    private FileChannel openObject(Path file) {
        try {
            checkContained(file.getParent());
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(root)) {
                throw io("open", file, e);
            }
            throw new S3Exception(S3ErrorCode.NoSuchKey);
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                throw new S3Exception(S3ErrorCode.AccessDenied, "Access Denied", null,
                        "object file is a symbolic link: " + file, e);
            }
            throw io("open", file, e);
        }
    }

    /**
     * Fails with {@code AccessDenied} when {@code dir} (which exists) resolves outside the root through a link.
     *
     * @throws NoSuchFileException when it does not exist
     */
    private void checkContained(Path dir) throws IOException {
        if (dir.equals(root)) {
            return;
        }
        Path real = dir.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw S3Exception.withDetail(S3ErrorCode.AccessDenied, "Access Denied", "path " + dir + " resolves to "
                    + real + " outside the backend root " + realRoot);
        }
    }

    /** Creates {@code dir} and its parents below the root, refusing to create anything through an escaping link. */
    private void ensureDirectory(Path dir) throws IOException {
        try {
            checkContained(dir);
            return;
        } catch (NoSuchFileException e) {
            // create it below
        }
        Path current = root;
        for (Path name : root.relativize(dir)) {
            current = current.resolve(name);
            try {
                Files.createDirectory(current);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                    checkContained(current);
                    if (!Files.isDirectory(current)) {
                        throw new FileSystemException(current.toString(), null, "not a directory");
                    }
                }
            }
        }
    }

    /** Removes empty directories from {@code dir} up to (not including) the root, as S3 has no empty prefixes. */
    private void prune(Path dir) {
        Path current = dir;
        while (current != null && !current.equals(root) && current.startsWith(root)
                && !Files.isSymbolicLink(current)) {
            try {
                Files.delete(current);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                LOG.debug("Cannot remove empty directory {}: {}", current, e.toString());
                return;
            }
            current = current.getParent();
        }
    }

    private Path uploadDirectory(String key, String uploadId) {
        Path dir = uploads(uploadId);
        uploadRecord(dir, key);
        return dir;
    }

    /** The directory of an upload, not yet checked to exist and belong to a key. */
    private Path uploads(String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload);
        }
        return uploads.resolve(uploadId);
    }

    private ObjectFile.Meta uploadRecord(Path dir, String key) {
        Path record = dir.resolve(UPLOAD_RECORD);
        try (FileChannel in = FileChannel.open(record, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ObjectFile.Meta meta = ObjectFile.read(in, record);
            if (!meta.key().equals(key)) {
                throw new S3Exception(S3ErrorCode.NoSuchUpload);
            }
            return meta;
        } catch (NoSuchFileException e) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload);
        } catch (IOException e) {
            throw io("read upload", record, e);
        }
    }

    private ObjectFile.Meta partMeta(Path dir, CompletedPart completed) {
        if (completed.partNumber() < 1 || completed.partNumber() > MAX_PART_NUMBER) {
            throw new S3Exception(S3ErrorCode.InvalidPart);
        }
        Path file = dir.resolve(partName(completed.partNumber()));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ObjectFile.Meta meta = ObjectFile.read(in, file);
            if (completed.etag() == null || !unquote(meta.etag()).equals(unquote(completed.etag()))) {
                throw new S3Exception(S3ErrorCode.InvalidPart);
            }
            return meta;
        } catch (NoSuchFileException e) {
            throw new S3Exception(S3ErrorCode.InvalidPart);
        } catch (IOException e) {
            throw io("read part", file, e);
        }
    }

    /** Moves the upload out of sight, then deletes it. */
    private boolean removeUpload(Path dir) {
        Path trash = tmp.resolve(dir.getFileName() + "." + randomId() + ".removed");
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw io("remove upload", dir, e);
        }
        deleteTree(trash);
        return true;
    }

    private static String partName(int partNumber) {
        return String.format("part-%05d", partNumber);
    }

    private static int last(List<PartInfo> parts) {
        return parts.get(parts.size() - 1).partNumber();
    }

    // ------------------------------------------------------------------ writing

    private Path newTempFile() {
        Path temp = tmp.resolve(randomId() + ".tmp");
        try {
            Files.createFile(temp);
            return temp;
        } catch (IOException e) {
            throw io("create", temp, e);
        }
    }

    /** Streams the body into {@code out} through a bounded buffer, hashing it, and checks its declared length. */
    private static long copyBody(ObjectBody body, FileChannel out, MessageDigest md5) throws IOException {
        InputStream in = body.stream();
        byte[] buffer = new byte[BUFFER_SIZE];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        long declared = body.length();
        long total = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new S3Exception(S3ErrorCode.IncompleteBody, "reading the request body failed: " + e.getMessage(), e);
            }
            if (n < 0) {
                break;
            }
            total += n;
            if (declared >= 0 && total > declared) {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "The request body is longer than its Content-Length");
            }
            md5.update(buffer, 0, n);
            wrapped.clear().limit(n);
            writeFully(out, wrapped);
        }
        if (declared >= 0 && total < declared) {
            throw new S3Exception(S3ErrorCode.IncompleteBody);
        }
        return total;
    }

    /** Appends the metadata, forces everything to disk and checks the file holds exactly what was written. */
    private static void seal(FileChannel out, ObjectFile.Meta meta, Path file) throws IOException {
        ByteBuffer trailer = ObjectFile.trailer(meta);
        long expected = meta.size() + trailer.remaining();
        writeFully(out, trailer);
        out.force(true);
        if (out.size() != expected) {
            throw new IOException("wrote " + out.size() + " bytes instead of " + expected + ": " + file);
        }
    }

    /** Publishes a sealed temp file as {@code target}, checking write conditions under the path's lock. */
    private void commit(String key, Path temp, Path target, Preconditions conditions) throws IOException {
        ReentrantLock lock = stripe(target);
        lock.lock();
        try {
            if (!conditions.isEmpty()) {
                conditions.checkWrite(headOrNull(key));
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    ensureDirectory(target.getParent());
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    syncDirectory(target.getParent());
                    return;
                } catch (NoSuchFileException e) {
                    // A delete pruned an (empty) parent while we created or used it: create it again.
                    if (attempt >= 3 || !Files.exists(temp)) {
                        throw e;
                    }
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("staging directory and target are on different filesystems", e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the rename itself durable: the file's bytes were forced before the move, but the new directory entry
     * lives in the parent directory until that is forced too (POSIX; a no-op where directories cannot be opened).
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot sync directory {}: {}", dir, e.toString());
        }
    }

    private static ReentrantLock stripe(Path target) {
        return STRIPES[Math.floorMod(target.toString().hashCode(), STRIPES.length)];
    }

    // ------------------------------------------------------------------ helpers

    private ObjectSummary summary(Path file, String key) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return ObjectFile.read(in, file).toSummary(key);
        } catch (NoSuchFileException e) {
            return null; // deleted while listing
        } catch (IOException e) {
            if (!Files.isDirectory(root)) {
                throw io("list", file, e);
            }
            LOG.debug("Not listing {}: {}", file, e.toString());
            return null; // a link or a file this backend did not write
        }
    }

    private static ObjectMeta readMeta(FileChannel channel, Path file, String key) throws IOException {
        return withKey(ObjectFile.read(channel, file), key);
    }

    private static ObjectMeta withKey(ObjectFile.Meta meta, String key) {
        return meta.toObjectMeta(key);
    }

    private S3Exception io(String action, Path path, IOException e) {
        if (!Files.isDirectory(root)) {
            // deleted through DeleteBucket, or by hand: the bucket is gone until CreateBucket or a restart
            return new S3Exception(S3ErrorCode.NoSuchBucket, S3ErrorCode.NoSuchBucket.defaultMessage(), null,
                    "backend root " + root + " is missing (" + action + " " + path + ")", e);
        }
        if (e instanceof FileSystemException f && f.getReason() != null && f.getReason().contains("name too long")) {
            return new S3Exception(S3ErrorCode.KeyTooLongError, S3ErrorCode.KeyTooLongError.defaultMessage(), null,
                    "path too long for the filesystem: " + path, e);
        }
        return new S3Exception(S3ErrorCode.InternalError, null, null, "cannot " + action + " " + path + ": " + e, e);
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String randomId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    private static String quote(byte[] digest) {
        return "\"" + HexFormat.of().formatHex(digest) + "\"";
    }

    private static String unquote(String etag) {
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete staging file {}: {}", file, e.toString());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }

    /** Deletes a tree without following links. */
    private static void deleteTree(Path top) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", top, e.toString());
        }
    }

    /** The bytes of one object (or range) from an open file; closing releases the file. */
    private static final class ChannelInputStream extends InputStream {
        private final FileChannel channel;
        private long remaining;

        ChannelInputStream(FileChannel channel, long length) {
            this.channel = channel;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)));
            if (n < 0) {
                throw new IOException("object file ended early");
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = Math.max(0, Math.min(n, remaining));
            channel.position(channel.position() + skipped);
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, remaining));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
