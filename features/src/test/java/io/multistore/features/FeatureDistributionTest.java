package io.multistore.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The descriptors are the single list of the server's bundles: the distribution's per-folder artifact lists
 * ({@code dist.boot}, {@code dist.bundle} in distribution/pom.xml) must be exactly the "server" feature.
 */
class FeatureDistributionTest {

    @Test
    void distributionFoldersMatchTheServerFeature() throws Exception {
        Map<String, Feature> features = Feature.all();
        Set<Feature.Coordinate> server = features.get("server").closure(features);

        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of(System.getProperty("multistore.distribution.pom")).toFile());
        assertEquals(artifacts(server, 1), list(pom, "dist.boot"), "boot/ (start level 1)");
        assertEquals(artifacts(server, 2), list(pom, "dist.bundle"), "bundle/ (start level 2)");
    }

    private static Set<String> artifacts(Set<Feature.Coordinate> bundles, int level) {
        return bundles.stream().filter(b -> b.startLevel() == level).map(Feature.Coordinate::artifactId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> list(Document pom, String property) {
        String text = pom.getElementsByTagName(property).item(0).getTextContent();
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
