package io.multistore.testsupport;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds a test server for one test class: started before the first test, closed after the last.
 * <pre>{@code
 * @RegisterExtension
 * static final ServerExtension<S3ProxyServer> S3 = ServerExtension.of(S3ProxyServer::start);
 * ... S3.get().endpoint() ...
 * }</pre>
 */
public final class ServerExtension<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<T> starter;
    private T server;

    private ServerExtension(Supplier<T> starter) {
        this.starter = Objects.requireNonNull(starter);
    }

    public static <T extends AutoCloseable> ServerExtension<T> of(Supplier<T> starter) {
        return new ServerExtension<>(starter);
    }

    /** The running server; only between the class's first and last test. */
    public T get() {
        if (server == null) {
            throw new IllegalStateException("the server runs only while the test class runs");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = starter.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        T running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }
}
