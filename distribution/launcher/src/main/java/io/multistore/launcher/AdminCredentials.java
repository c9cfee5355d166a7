package io.multistore.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The Web Console login. From {@code MULTISTORE_ADMIN_USER}/{@code MULTISTORE_ADMIN_PASSWORD}, else a random
 * password generated at first start, kept owner-readable only in the data directory and printed once, so the
 * console never runs with a well-known password.
 *
 * @param username the console user
 * @param passwordHash the password in the console's {@code {sha-256}BASE64} form; the clear text is never stored
 *        in Config Admin
 */
public record AdminCredentials(String username, String passwordHash) {

    public static final String USER_ENV = "MULTISTORE_ADMIN_USER";
    public static final String PASSWORD_ENV = "MULTISTORE_ADMIN_PASSWORD";
    public static final String PASSWORD_FILE = "webconsole.password";

    /** Resolves the credentials; announces a newly generated password on {@code out}. */
    public static AdminCredentials resolve(Map<String, String> env, Path dataDir, PrintStream out)
            throws IOException, UsageException {
        String user = env.getOrDefault(USER_ENV, "admin");
        if (user.isBlank()) {
            throw new UsageException(USER_ENV + " must not be empty", false);
        }
        String password = env.get(PASSWORD_ENV);
        if (password != null) {
            if (password.isEmpty()) {
                throw new UsageException(PASSWORD_ENV + " must not be empty", false);
            }
            return new AdminCredentials(user, hash(password));
        }
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (Files.isRegularFile(file)) {
            return new AdminCredentials(user, hash(Files.readString(file, StandardCharsets.UTF_8).strip()));
        }
        String generated = generate();
        write(file, generated);
        out.println("Web Console: user '" + user + "', generated password " + generated);
        out.println("  (shown once; kept in " + file + "; set " + PASSWORD_ENV + " to choose your own)");
        return new AdminCredentials(user, hash(generated));
    }

    static String generate() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The Felix Web Console's hashed password form. */
    static String hash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void write(Path file, String password) throws IOException {
        Files.createDirectories(file.getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                // Created 0600 in one step: the secret is never readable by others, not even briefly.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        Set.copyOf(PosixFilePermissions.fromString("rw-------"))));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("refusing to overwrite " + file, e);
        }
        try (OutputStream stream = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            stream.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
