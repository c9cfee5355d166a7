package io.multistore.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Shared provisioning for the OSGi tier: exactly the bundles of the assembled distribution ({@code boot/} at start
 * level 1, {@code bundle/} at level 2), so these tests wire what operators run.
 */
public abstract class TestSupport {
    private static final String HTTP_PORT_PROPERTY = "org.osgi.service.http.port";

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    protected Option distribution() {
        Path home = Path.of(System.getProperty("multistore.home", "../distribution/target/multistore-server"))
                .toAbsolutePath().normalize();
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        options.add(frameworkStartLevel(10));
        options.add(junitBundles());
        options.add(systemProperty(HTTP_PORT_PROPERTY).value(Integer.toString(freePort())));
        options.add(systemProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"));
        options.add(systemProperty("felix.fileinstall.dir").value(System.getProperty("java.io.tmpdir") + "/multistore-itest-deploy"));
        jars(home.resolve("boot")).forEach(jar -> options.add(bundle(jar).startLevel(1)));
        jars(home.resolve("bundle")).forEach(jar -> options.add(bundle(jar).startLevel(2)));
        return composite(options.toArray(Option[]::new));
    }

    private static List<String> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().map(f -> f.toUri().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("The distribution is not built: " + dir, e);
        }
    }

    /**
     * The S3 port inside the framework. Read from the property, not a static: the probe's copy of this class is
     * loaded again inside the framework.
     */
    protected int httpPort() {
        return Integer.parseInt(context.getProperty(HTTP_PORT_PROPERTY));
    }

    /** Creates or replaces a (non-factory) configuration and returns it, for deletion after the test. */
    protected Configuration configure(String pid, Object... keyValues) throws IOException {
        Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        configuration.update(properties);
        return configuration;
    }

    /** Polls until the condition holds: DS reacts asynchronously to services and configurations. */
    protected static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    protected static Dictionary<String, Object> properties(Object... keyValues) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
