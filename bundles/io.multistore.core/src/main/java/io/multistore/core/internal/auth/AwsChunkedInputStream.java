package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body ({@code hex-size[;chunk-signature=sig]\r\n data \r\n ... 0...\r\n trailers
 * \r\n}) while verifying it: every chunk signature, chained from the request signature; the trailer signature; the
 * trailing checksum; the decoded length; and any other checks of the object bytes.
 * <p>
 * Chunk data streams through without being buffered: a chunk's signature only needs the SHA-256 of its bytes, which
 * is computed as they pass. A chunk's signature is checked on the read that returns its last byte, and the read
 * that returns the last byte of the object first reads the rest of the framing (final chunk and trailers) and runs
 * every check, so a consumer that stops at the decoded length still gets the failure. Memory is one small buffer.
 */
final class AwsChunkedInputStream extends InputStream {

    private static final int BUFFER_SIZE = 8192;
    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILER_BYTES = 16384;
    private static final String CHUNK_SIGNATURE = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private final InputStream in;
    private final SigningContext signing;
    private final boolean trailer;
    private final long decodedLength;
    private final List<PayloadCheck> checks;
    private final Map<ChecksumAlgorithm, String> verifiedTrailers = new java.util.EnumMap<>(ChecksumAlgorithm.class);
    private final Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> trailerChecksums =
            new EnumMap<>(ChecksumAlgorithm.class);

    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    private long rawRemaining;

    private final MessageDigest chunkDigest;
    private String previousSignature;
    private String chunkSignature;
    private long chunkRemaining;
    private long decoded;
    private boolean started;
    private boolean finished;
    private PayloadException failure;

    /**
     * @param rawLength      the encoded length (Content-Length), or -1 when unknown
     * @param signing        verifies chunk signatures; {@code null} for unsigned chunks
     * @param trailer        whether trailing headers follow the final chunk
     * @param decodedLength  {@code x-amz-decoded-content-length}, or -1 when not sent
     * @param declaredTrailers the checksum trailers {@code x-amz-trailer} announced
     * @param checks         further checks of the decoded bytes ({@code Content-MD5}, checksum headers)
     */
    AwsChunkedInputStream(InputStream in, long rawLength, SigningContext signing, boolean trailer,
            long decodedLength, List<ChecksumAlgorithm> declaredTrailers, List<PayloadCheck> checks) {
        this.in = in;
        this.rawRemaining = rawLength < 0 ? Long.MAX_VALUE : rawLength;
        this.signing = signing;
        this.trailer = trailer;
        this.decodedLength = decodedLength;
        this.checks = List.copyOf(checks);
        for (ChecksumAlgorithm algorithm : declaredTrailers) {
            trailerChecksums.put(algorithm, algorithm.start());
        }
        this.chunkDigest = signing == null ? null : Crypto.sha256();
        this.previousSignature = signing == null ? null : signing.seedSignature();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            if (!started) {
                started = true;
                readChunkHeader();
                if (finished) {
                    return -1;
                }
            }
            int n = readData(b, off, (int) Math.min(len, chunkRemaining));
            if (chunkDigest != null) {
                chunkDigest.update(b, off, n);
            }
            for (ChecksumAlgorithm.Running running : trailerChecksums.values()) {
                running.update(b, off, n);
            }
            for (PayloadCheck check : checks) {
                check.update(b, off, n);
            }
            decoded += n;
            chunkRemaining -= n;
            // longer than declared: known as soon as the declared length is reached inside a chunk, before a
            // consumer that reads exactly the declared length (a backend's upload) gets the last byte
            if (decodedLength >= 0 && (decoded > decodedLength || decoded == decodedLength && chunkRemaining > 0)) {
                throw longer();
            }
            if (chunkRemaining == 0) {
                endChunk();
                readChunkHeader();
            }
            return n;
        } catch (PayloadException e) {
            failure = e;
            throw e;
        }
    }

    /** Reads a chunk's {@code \r\n} and checks its signature. */
    private void endChunk() throws IOException {
        if (!readLine().isEmpty()) {
            throw malformed("chunk data is not followed by CRLF");
        }
        verifyChunkSignature(Crypto.hex(chunkDigest == null ? new byte[0] : chunkDigest.digest()));
    }

    private void verifyChunkSignature(String dataHash) throws PayloadException {
        if (signing == null) {
            return;
        }
        String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + signing.timestamp() + "\n" + signing.scope() + "\n"
                + previousSignature + "\n" + Crypto.EMPTY_SHA256 + "\n" + dataHash;
        String expected = Crypto.hex(Crypto.hmac(signing.signingKey(), stringToSign));
        if (!Crypto.signatureEquals(expected, chunkSignature)) {
            throw new PayloadException(S3ErrorCode.SignatureDoesNotMatch,
                    "The chunk signature we calculated does not match the signature you provided.");
        }
        previousSignature = expected;
    }

    /** Parses {@code hex-size[;chunk-signature=sig]}; a zero size ends the body. */
    private void readChunkHeader() throws IOException {
        String line = readLine();
        int semicolon = line.indexOf(';');
        String sizeText = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        if (sizeText.isEmpty() || sizeText.length() > 15) {
            throw malformed("invalid chunk size");
        }
        long size;
        try {
            size = Long.parseLong(sizeText, 16);
        } catch (NumberFormatException e) {
            throw malformed("invalid chunk size");
        }
        if (size < 0) {
            throw malformed("invalid chunk size");
        }
        chunkSignature = null;
        if (signing != null) {
            int at = line.indexOf(CHUNK_SIGNATURE, semicolon < 0 ? 0 : semicolon);
            if (semicolon < 0 || at < 0) {
                throw new PayloadException(S3ErrorCode.SignatureDoesNotMatch, "A chunk carries no signature.");
            }
            int end = line.indexOf(';', at);
            chunkSignature = line.substring(at + CHUNK_SIGNATURE.length(), end < 0 ? line.length() : end).trim();
        }
        chunkRemaining = size;
        if (size > 0 && decodedLength >= 0 && decoded >= decodedLength) {
            throw longer();
        }
        if (size == 0) {
            verifyChunkSignature(Crypto.EMPTY_SHA256);
            finish();
        }
    }

    private static PayloadException longer() {
        return new PayloadException(S3ErrorCode.IncompleteBody,
                "The decoded body is longer than x-amz-decoded-content-length.");
    }

    /** After the final chunk: trailers, then every check of the whole body. */
    private void finish() throws IOException {
        List<String[]> trailers = new ArrayList<>();
        String trailerSignature = null;
        int trailerBytes = 0;
        while (true) {
            String line = readLineOrEnd();
            if (line == null || line.isEmpty()) {
                break;
            }
            trailerBytes += line.length();
            if (trailerBytes > MAX_TRAILER_BYTES) {
                throw malformed("trailers too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("malformed trailer");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (TRAILER_SIGNATURE.equals(name)) {
                trailerSignature = value;
            } else {
                trailers.add(new String[] {name, value});
            }
        }
        if (!trailer && !trailers.isEmpty()) {
            throw malformed("trailers were sent but not announced");
        }
        if (trailer && signing != null) {
            verifyTrailerSignature(trailers, trailerSignature);
        }
        if (decodedLength >= 0 && decoded != decodedLength) {
            throw new PayloadException(S3ErrorCode.IncompleteBody, "The decoded body has " + decoded
                    + " bytes; x-amz-decoded-content-length declared " + decodedLength + ".");
        }
        for (Map.Entry<ChecksumAlgorithm, ChecksumAlgorithm.Running> entry : trailerChecksums.entrySet()) {
            String value = trailerValue(trailers, entry.getKey().headerName());
            if (value == null) {
                throw new PayloadException(S3ErrorCode.InvalidRequest,
                        "The trailer " + entry.getKey().headerName() + " announced in x-amz-trailer is missing.");
            }
            PayloadCheck.compare(entry.getKey(), entry.getValue().finish(), value);
            verifiedTrailers.put(entry.getKey(), value.trim());
        }
        for (String[] header : trailers) {
            ChecksumAlgorithm algorithm = ChecksumAlgorithm.forHeader(header[0]);
            if (algorithm != null && !trailerChecksums.containsKey(algorithm)) {
                throw new PayloadException(S3ErrorCode.InvalidRequest,
                        "The trailer " + header[0] + " was not announced in x-amz-trailer.");
            }
        }
        for (PayloadCheck check : checks) {
            check.verify();
        }
        finished = true;
    }

    private void verifyTrailerSignature(List<String[]> trailers, String provided) throws PayloadException {
        if (provided == null) {
            throw new PayloadException(S3ErrorCode.SignatureDoesNotMatch, "The trailer carries no signature.");
        }
        StringBuilder canonical = new StringBuilder();
        for (String[] header : trailers) {
            canonical.append(header[0]).append(':').append(header[1]).append('\n');
        }
        String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + signing.timestamp() + "\n" + signing.scope() + "\n"
                + previousSignature + "\n" + Crypto.sha256Hex(canonical.toString());
        String expected = Crypto.hex(Crypto.hmac(signing.signingKey(), stringToSign));
        if (!Crypto.signatureEquals(expected, provided)) {
            throw new PayloadException(S3ErrorCode.SignatureDoesNotMatch,
                    "The trailer signature we calculated does not match the signature you provided.");
        }
    }

    /** A trailing checksum once it has been verified (after the body's end), else {@code null}. */
    String verifiedTrailer(ChecksumAlgorithm algorithm) {
        return verifiedTrailers.get(algorithm);
    }

    private static String trailerValue(List<String[]> trailers, String name) {
        for (String[] header : trailers) {
            if (header[0].equals(name)) {
                return header[1];
            }
        }
        return null;
    }

    private int readData(byte[] b, int off, int len) throws IOException {
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len >= BUFFER_SIZE) {
            int n = in.read(b, off, (int) Math.min(len, rawRemaining));
            if (n <= 0) {
                throw truncated();
            }
            rawRemaining -= n;
            return n;
        }
        if (!fill()) {
            throw truncated();
        }
        return readData(b, off, len);
    }

    /** A line without its CRLF; the end of the body is an error. */
    private String readLine() throws IOException {
        String line = readLineOrEnd();
        if (line == null) {
            throw truncated();
        }
        return line;
    }

    /** A line without its CRLF, or {@code null} at the end of the body before any byte of a line. */
    private String readLineOrEnd() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (pos == limit && !fill()) {
                if (line == null) {
                    return null;
                }
                throw truncated();
            }
            if (line == null) {
                line = new StringBuilder(80);
            }
            byte c = buffer[pos++];
            if (c == '\n') {
                int length = line.length();
                if (length == 0 || line.charAt(length - 1) != '\r') {
                    throw malformed("line not terminated by CRLF");
                }
                line.setLength(length - 1);
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw malformed("line too long");
            }
            line.append((char) (c & 0xff));
        }
    }

    private boolean fill() throws IOException {
        if (rawRemaining <= 0) {
            return false;
        }
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, rawRemaining));
        if (n <= 0) {
            return false;
        }
        rawRemaining -= n;
        pos = 0;
        limit = n;
        return true;
    }

    private PayloadException truncated() {
        return new PayloadException(S3ErrorCode.IncompleteBody, "The aws-chunked body ended before its final chunk.");
    }

    private static PayloadException malformed(String detail) {
        return new PayloadException(S3ErrorCode.InvalidRequest, "Malformed aws-chunked body: " + detail + ".");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
