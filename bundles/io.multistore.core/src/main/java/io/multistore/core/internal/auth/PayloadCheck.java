package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/** One check of a body's bytes against what the client declared: fed the bytes, judged at the end. */
abstract class PayloadCheck {

    abstract void update(byte[] bytes, int offset, int length);

    /** @throws PayloadException when the bytes were not what the client declared */
    abstract void verify() throws PayloadException;

    /** The {@code x-amz-content-sha256} of a single-chunk payload. */
    static PayloadCheck sha256(String expectedHex) {
        MessageDigest digest = Crypto.sha256();
        String expected = expectedHex.toLowerCase(Locale.ROOT);
        return new PayloadCheck() {
            @Override
            void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            void verify() throws PayloadException {
                if (!Crypto.signatureEquals(Crypto.hex(digest.digest()), expected)) {
                    throw new PayloadException(S3ErrorCode.XAmzContentSHA256Mismatch,
                            S3ErrorCode.XAmzContentSHA256Mismatch.defaultMessage());
                }
            }
        };
    }

    /**
     * {@code Content-MD5}.
     *
     * @throws S3Exception {@code InvalidDigest} if the header is not the base64 of 16 bytes
     */
    static PayloadCheck md5(String contentMd5) {
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(contentMd5.trim());
        } catch (IllegalArgumentException e) {
            expected = null;
        }
        if (expected == null || expected.length != 16) {
            throw new S3Exception(S3ErrorCode.InvalidDigest);
        }
        byte[] md5 = expected;
        MessageDigest digest = Crypto.digest("MD5");
        return new PayloadCheck() {
            @Override
            void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            void verify() throws PayloadException {
                if (!MessageDigest.isEqual(digest.digest(), md5)) {
                    throw new PayloadException(S3ErrorCode.BadDigest,
                            "The Content-MD5 you specified did not match what we received.");
                }
            }
        };
    }

    /**
     * An {@code x-amz-checksum-*} value sent as a header.
     *
     * @throws S3Exception {@code InvalidRequest} if the value is not base64 of the algorithm's size
     */
    static PayloadCheck checksum(ChecksumAlgorithm algorithm, String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            decoded = null;
        }
        if (decoded == null || decoded.length != algorithm.size()) {
            throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "Value for " + algorithm.headerName() + " header is invalid.");
        }
        byte[] expected = decoded;
        return computing(algorithm, computed -> {
            if (!MessageDigest.isEqual(computed, expected)) {
                throw mismatch(algorithm);
            }
        });
    }

    /** What to do with a checksum computed over the whole body. */
    interface ChecksumEnd {
        void accept(byte[] computed) throws PayloadException;
    }

    /** Computes {@code algorithm} over the body and hands the result to {@code end} once the body is complete. */
    static PayloadCheck computing(ChecksumAlgorithm algorithm, ChecksumEnd end) {
        ChecksumAlgorithm.Running running = algorithm.start();
        return new PayloadCheck() {
            @Override
            void update(byte[] bytes, int offset, int length) {
                running.update(bytes, offset, length);
            }

            @Override
            void verify() throws PayloadException {
                end.accept(running.finish());
            }
        };
    }

    /** Compares a computed checksum with the base64 value the client sent. */
    static void compare(ChecksumAlgorithm algorithm, byte[] computed, String base64) throws PayloadException {
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new PayloadException(S3ErrorCode.InvalidRequest,
                    "Value for " + algorithm.headerName() + " is invalid.");
        }
        if (!MessageDigest.isEqual(computed, expected)) {
            throw mismatch(algorithm);
        }
    }

    private static PayloadException mismatch(ChecksumAlgorithm algorithm) {
        return new PayloadException(S3ErrorCode.BadDigest,
                "The " + algorithm.name() + " you specified did not match the calculated checksum.");
    }
}
