package io.multistore.features;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Each feature, with the features it requires, resolves on a fresh Felix: no bundle lacks a package, capability or
 * service-loader mediator that the feature set does not bring.
 */
class FeatureResolutionTest {

    @TempDir
    Path storage;

    @TestFactory
    Stream<DynamicTest> everyFeatureResolvesOnFelix() {
        Map<String, Feature> features = Feature.all();
        return features.values().stream().map(feature -> DynamicTest.dynamicTest(feature.name(),
                () -> assertResolves(feature, feature.closure(features))));
    }

    @Test
    void descriptorsAreWellFormed() {
        Map<String, Feature> features = Feature.all();
        assertTrue(features.keySet().containsAll(Set.of("platform", "http", "webconsole", "core", "config-file",
                "backend-fs", "dataplane", "backend-s3", "backend-azure", "backend-gcs", "server")), features.keySet().toString());
        features.values().forEach(feature -> feature.closure(features)); // every "require" names a feature
        // Start level 1 exists for SLF4J's sake: its ServiceLoader mediator must run before anything logs.
        for (Feature feature : features.values()) {
            feature.bundles().stream().filter(b -> b.startLevel() == 1)
                    .forEach(b -> assertTrue(feature.name().equals("platform"), feature.name() + ": " + b));
        }
        assertFalse(features.get("server").closure(features).isEmpty());
    }

    private void assertResolves(Feature feature, Set<Feature.Coordinate> bundles) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.resolve(feature.name()).toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.level", "0");
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        config.put("felix.startlevel.bundle", "1");
        Framework framework = new Felix(config);
        framework.init();
        try {
            List<Bundle> installed = new ArrayList<>();
            for (Feature.Coordinate coordinate : bundles) {
                installed.add(framework.getBundleContext().installBundle(
                        "reference:" + jar(coordinate).toUri()));
            }
            // Active framework (start level 1): a start attempt on an unresolved bundle then reports the reason.
            framework.start();
            framework.adapt(FrameworkWiring.class).resolveBundles(installed);
            List<String> unresolved = new ArrayList<>();
            for (Bundle bundle : installed) {
                if (bundle.getState() == Bundle.INSTALLED) {
                    unresolved.add(bundle.getSymbolicName() + ": " + reason(bundle));
                }
            }
            if (!unresolved.isEmpty()) {
                fail("feature '" + feature.name() + "' does not resolve:\n  " + String.join("\n  ", unresolved));
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** Felix names the first missing requirement in the exception of a start attempt. */
    private static String reason(Bundle bundle) {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return "fragment not attached to " + bundle.getHeaders().get(Constants.FRAGMENT_HOST);
        }
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return "resolves only when started";
        } catch (BundleException e) {
            return e.getMessage();
        }
    }

    /**
     * The jar of a bundle on the test class path: from the local repository ({@code G/A/V/A-V.jar}) or, inside the
     * reactor, the module's {@code target/} (module directory = artifactId).
     */
    static Path jar(Feature.Coordinate coordinate) {
        String groupPath = File.separator + coordinate.groupId().replace('.', File.separatorChar) + File.separator
                + coordinate.artifactId() + File.separator;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.getFileName().toString();
            boolean inRepository = entry.contains(groupPath) && name.startsWith(coordinate.artifactId() + "-");
            boolean inReactor = path.getParent() != null && path.getParent().getFileName().toString().equals("target")
                    && path.getParent().getParent().getFileName().toString().equals(coordinate.artifactId());
            if ((inRepository || inReactor) && Files.exists(path)) {
                return path;
            }
        }
        throw new AssertionError(coordinate + " is not on the test class path: add it to features/pom.xml");
    }
}
