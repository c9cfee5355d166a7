package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request body into the object's bytes as the client meant them, checked as they stream: by
 * {@code x-amz-content-sha256} a SHA-256 of the body, {@code aws-chunked} decoding with chunk signatures and
 * trailing checksums, or nothing for {@code UNSIGNED-PAYLOAD}; plus {@code Content-MD5} and
 * {@code x-amz-checksum-*} headers whenever sent.
 */
public final class PayloadVerifier {

    private PayloadVerifier() {
    }

    /**
     * @param contentLength the request's Content-Length, or -1 when unknown
     * @throws S3Exception when the headers describing the body are malformed (before any byte is read)
     */
    public static VerifiedBody wrap(Authentication auth, SignedRequest request, InputStream raw, long contentLength) {
        List<PayloadCheck> checks = new ArrayList<>(2);
        String contentMd5 = request.header("content-md5");
        if (contentMd5 != null) {
            checks.add(PayloadCheck.md5(contentMd5));
        }
        ChecksumAlgorithm inHeader = null;
        String headerValue = null;
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            String value = request.header(algorithm.headerName());
            if (value != null) {
                if (inHeader != null) {
                    throw multipleChecksums();
                }
                checks.add(PayloadCheck.checksum(algorithm, value));
                inHeader = algorithm;
                headerValue = value;
            }
        }
        String contentSha256 = request.header("x-amz-content-sha256");
        if (contentSha256 != null && contentSha256.startsWith("STREAMING-")) {
            return chunked(auth, request, raw, contentLength, contentSha256, checks, inHeader, headerValue);
        }
        Checksums.BodyChecksum checksum = inHeader != null ? new Checksums.BodyChecksum(inHeader, headerValue)
                : sdkChecksum(request, checks);
        if (Crypto.isSha256Hex(contentSha256)) {
            checks.add(0, PayloadCheck.sha256(contentSha256));
        }
        if (checks.isEmpty() && contentLength < 0) {
            return new VerifiedBody(raw, -1);
        }
        return new VerifiedBody(new VerifyingInputStream(raw, contentLength, checks), contentLength, checksum);
    }

    /**
     * {@code x-amz-sdk-checksum-algorithm} without a value: the client asks for a checksum it does not send, so the
     * gateway computes it (S3 stores one then too).
     */
    private static Checksums.BodyChecksum sdkChecksum(SignedRequest request, List<PayloadCheck> checks) {
        String name = request.header("x-amz-sdk-checksum-algorithm");
        if (name == null) {
            return Checksums.BodyChecksum.NONE;
        }
        Checksums.BodyChecksum checksum = new Checksums.BodyChecksum(
                Checksums.algorithm(name, "x-amz-sdk-checksum-algorithm"), null);
        checks.add(checksum.computing());
        return checksum;
    }

    private static S3Exception multipleChecksums() {
        return new S3Exception(S3ErrorCode.InvalidRequest,
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    }

    private static VerifiedBody chunked(Authentication auth, SignedRequest request, InputStream raw,
            long contentLength, String mode, List<PayloadCheck> checks, ChecksumAlgorithm inHeader,
            String headerValue) {
        boolean signed;
        boolean trailer;
        switch (mode) {
            case SigV4Verifier.STREAMING_SIGNED -> {
                signed = true;
                trailer = false;
            }
            case SigV4Verifier.STREAMING_SIGNED_TRAILER -> {
                signed = true;
                trailer = true;
            }
            case SigV4Verifier.STREAMING_UNSIGNED_TRAILER -> {
                signed = false;
                trailer = true;
            }
            default -> throw new S3Exception(S3ErrorCode.NotImplemented,
                    "x-amz-content-sha256 " + mode + " is not supported.");
        }
        SigningContext signing = auth == null ? null : auth.signing();
        if (signed && signing == null) {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Signed aws-chunked payloads need a signed request.");
        }
        long decodedLength = -1;
        String decoded = request.header("x-amz-decoded-content-length");
        if (decoded != null) {
            try {
                decodedLength = Long.parseLong(decoded.trim());
            } catch (NumberFormatException e) {
                decodedLength = -2;
            }
            if (decodedLength < 0) {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "x-amz-decoded-content-length is invalid.");
            }
        }
        List<ChecksumAlgorithm> declared = new ArrayList<>(1);
        List<String> trailerHeaders = request.headers().get("x-amz-trailer");
        if (trailerHeaders != null) {
            for (String value : trailerHeaders) {
                for (String name : value.split(",")) {
                    String trimmed = name.trim().toLowerCase(Locale.ROOT);
                    if (trimmed.isEmpty()) {
                        continue;
                    }
                    ChecksumAlgorithm algorithm = ChecksumAlgorithm.forHeader(trimmed);
                    if (algorithm == null) {
                        throw new S3Exception(S3ErrorCode.InvalidRequest,
                                "The trailer " + trimmed + " in x-amz-trailer is not supported.");
                    }
                    if (!declared.contains(algorithm)) {
                        declared.add(algorithm);
                    }
                }
            }
        }
        if (!trailer && !declared.isEmpty()) {
            throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "x-amz-trailer needs a trailer payload mode in x-amz-content-sha256.");
        }
        if (declared.size() > 1 || (inHeader != null && !declared.isEmpty() && declared.get(0) != inHeader)) {
            throw multipleChecksums();
        }
        Checksums.BodyChecksum checksum;
        if (inHeader != null) {
            checksum = new Checksums.BodyChecksum(inHeader, headerValue);
        } else if (!declared.isEmpty()) {
            checksum = new Checksums.BodyChecksum(declared.get(0), null);
        } else {
            checksum = sdkChecksum(request, checks);
        }
        AwsChunkedInputStream stream = new AwsChunkedInputStream(raw, contentLength, signed ? signing : null, trailer,
                decodedLength, declared, checks);
        checksum.trailersOf(stream);
        return new VerifiedBody(stream, decodedLength, checksum);
    }
}
