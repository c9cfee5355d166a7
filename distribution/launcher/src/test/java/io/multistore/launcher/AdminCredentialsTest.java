package io.multistore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialsTest {

    @TempDir
    Path data;

    @Test
    void hashIsTheConsoleFormat() {
        // The Web Console's built-in default is {sha-256} of "admin".
        assertEquals("{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=", AdminCredentials.hash("admin"));
    }

    @Test
    void environmentWinsAndWritesNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AdminCredentials credentials = AdminCredentials.resolve(
                Map.of("MULTISTORE_ADMIN_USER", "ops", "MULTISTORE_ADMIN_PASSWORD", "s3cret"), data,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(new AdminCredentials("ops", AdminCredentials.hash("s3cret")), credentials);
        assertEquals(0, out.size());
        assertFalse(Files.exists(data.resolve(AdminCredentials.PASSWORD_FILE)));
    }

    @Test
    void generatedOnceOwnerOnlyAndPrintedOnce() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        AdminCredentials generated = AdminCredentials.resolve(Map.of(), data.resolve("nested"),
                new PrintStream(first, true, StandardCharsets.UTF_8));
        Path file = data.resolve("nested").resolve(AdminCredentials.PASSWORD_FILE);
        String password = Files.readString(file).strip();
        assertEquals("admin", generated.username());
        assertNotEquals(AdminCredentials.hash("admin"), generated.passwordHash());
        assertEquals(AdminCredentials.hash(password), generated.passwordHash());
        assertTrue(first.toString(StandardCharsets.UTF_8).contains(password));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        AdminCredentials again = AdminCredentials.resolve(Map.of(), data.resolve("nested"),
                new PrintStream(second, true, StandardCharsets.UTF_8));
        assertEquals(generated, again);
        assertEquals(0, second.size());
    }

    @Test
    void emptyValuesAreRejected() {
        assertThrows(UsageException.class,
                () -> AdminCredentials.resolve(Map.of("MULTISTORE_ADMIN_PASSWORD", ""), data, System.err));
        assertThrows(UsageException.class,
                () -> AdminCredentials.resolve(Map.of("MULTISTORE_ADMIN_USER", " "), data, System.err));
    }

    @Test
    void generatedPasswordsDiffer() throws IOException {
        assertNotEquals(AdminCredentials.generate(), AdminCredentials.generate());
        assertEquals(24, AdminCredentials.generate().length());
    }
}
