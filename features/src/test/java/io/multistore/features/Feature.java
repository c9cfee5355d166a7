package io.multistore.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A feature descriptor ({@code src/main/features/NAME.feature}): lines {@code require FEATURE},
 * {@code boot GROUP:ARTIFACT} (start level 1) and {@code bundle GROUP:ARTIFACT} (start level 2); {@code #} comments.
 */
record Feature(String name, List<String> requires, List<Coordinate> bundles) {

    /** A bundle without version (the root pom manages it) and its start level. */
    record Coordinate(String groupId, String artifactId, int startLevel) {
        @Override
        public String toString() {
            return groupId + ":" + artifactId;
        }
    }

    static Feature parse(String name, List<String> lines) {
        List<String> requires = new ArrayList<>();
        List<Coordinate> bundles = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException(name + ": cannot read line '" + line + "'");
            }
            switch (words[0]) {
                case "require" -> requires.add(words[1]);
                case "boot", "bundle" -> {
                    String[] ga = words[1].split(":");
                    if (ga.length != 2) {
                        throw new IllegalArgumentException(name + ": expected GROUP:ARTIFACT in '" + line + "'");
                    }
                    bundles.add(new Coordinate(ga[0], ga[1], words[0].equals("boot") ? 1 : 2));
                }
                default -> throw new IllegalArgumentException(name + ": unknown keyword in '" + line + "'");
            }
        }
        return new Feature(name, List.copyOf(requires), List.copyOf(bundles));
    }

    /** Every descriptor packaged under {@code features/} on the class path, by name. */
    static Map<String, Feature> all() {
        try {
            Path dir = Path.of(Feature.class.getClassLoader().getResource("features").toURI());
            Map<String, Feature> features = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".feature")).sorted().toList()) {
                    String name = file.getFileName().toString().replaceFirst("\\.feature$", "");
                    features.put(name, parse(name, Files.readAllLines(file)));
                }
            }
            return features;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bundles of this feature and of every feature it requires, transitively, each once. */
    Set<Coordinate> closure(Map<String, Feature> all) {
        Set<Coordinate> result = new LinkedHashSet<>();
        collect(all, new LinkedHashSet<>(), result);
        return result;
    }

    private void collect(Map<String, Feature> all, Set<String> visited, Set<Coordinate> result) {
        if (!visited.add(name)) {
            return;
        }
        for (String required : requires) {
            Feature feature = all.get(required);
            if (feature == null) {
                throw new IllegalArgumentException(name + " requires unknown feature '" + required + "'");
            }
            feature.collect(all, visited, result);
        }
        result.addAll(bundles);
    }
}
