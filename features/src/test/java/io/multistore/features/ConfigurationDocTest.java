package io.multistore.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The PID table of docs/configuration.md is the Metatype of the bundles: every (PID, property) that an
 * {@code io.multistore} bundle of a feature declares in {@code OSGI-INF/metatype/*.xml} is a row of the table, with
 * the same factory flag and default, and every row is such a property. Descriptions are prose and not compared.
 */
class ConfigurationDocTest {

    static final String TABLE_HEADER = "| PID | Factory | Property | Default | Description |";
    /** How the table writes an attribute without a default, and one whose default is the empty string. */
    static final String NO_DEFAULT = "(none)";
    static final String EMPTY_DEFAULT = "(empty)";

    /** One property as the table (or the Metatype) states it. */
    record Row(String pid, boolean factory, String property, String defaultValue) {
        String id() {
            return pid + " / " + property;
        }

        @Override
        public String toString() {
            return "| `" + pid + "` | " + (factory ? "yes" : "no") + " | `" + property + "` | "
                    + (defaultValue.equals(NO_DEFAULT) || defaultValue.equals(EMPTY_DEFAULT) ? defaultValue
                            : "`" + defaultValue + "`") + " | … |";
        }
    }

    @Test
    void pidTableMatchesTheMetatypeOfEveryBundle() throws Exception {
        Map<String, Row> declared = metatypeRows();
        // a sanity floor, so an empty scan (no jars found, metatype no longer generated) cannot pass
        assertTrue(declared.keySet().stream().anyMatch(id -> id.startsWith("io.multistore.core.gateway / ")),
                "no Metatype found for io.multistore.core.gateway: " + declared.keySet());

        Map<String, Row> documented = tableRows(Files.readAllLines(docPath()));

        List<String> problems = new ArrayList<>();
        for (Row row : declared.values()) {
            Row doc = documented.get(row.id());
            if (doc == null) {
                problems.add("missing from the table: " + row);
            } else if (!doc.equals(row)) {
                problems.add("differs from the Metatype: table has " + doc + ", the bundle declares " + row);
            }
        }
        for (Row row : documented.values()) {
            if (!declared.containsKey(row.id())) {
                problems.add("in the table but declared by no bundle: " + row);
            }
        }
        if (!problems.isEmpty()) {
            fail(docPath() + " is out of date:\n  " + String.join("\n  ", problems));
        }
    }

    @Test
    void tableParserReadsRowsAndRejectsDuplicates() {
        List<String> lines = List.of("text", TABLE_HEADER, "|---|---|---|---|---|",
                "| `a.pid` | no | `x` | `1` | one |",
                "| `a.pid` | yes | `y` | (none) | two, with `(a\\|b)` |",
                "", "| `not.in` | no | `table` | x | y |");
        Map<String, Row> rows = tableRows(lines);
        assertEquals(Set.of("a.pid / x", "a.pid / y"), rows.keySet());
        assertEquals(new Row("a.pid", true, "y", NO_DEFAULT), rows.get("a.pid / y"));

        List<String> duplicate = List.of(TABLE_HEADER, "|---|---|---|---|---|",
                "| `a.pid` | no | `x` | `1` | one |", "| `a.pid` | no | `x` | `2` | again |");
        AssertionError e = assertThrows(AssertionError.class, () -> tableRows(duplicate));
        assertTrue(e.getMessage().contains("a.pid / x"), e.getMessage());
        assertTrue(tableRows(List.of("no table here")).isEmpty());
    }

    // ---- the bundles' Metatype ----

    /** Every designated (PID, attribute) of the project's bundles in any feature. */
    static Map<String, Row> metatypeRows() throws Exception {
        Map<String, Feature> features = Feature.all();
        Set<Feature.Coordinate> bundles = features.values().stream()
                .flatMap(f -> f.closure(features).stream())
                .filter(c -> c.groupId().equals("io.multistore"))
                .collect(Collectors.toCollection(
                        () -> new TreeSet<>(Comparator.comparing(Feature.Coordinate::artifactId))));
        assertFalse(bundles.isEmpty(), "no io.multistore bundle in the feature descriptors");
        Map<String, Row> rows = new TreeMap<>();
        for (Feature.Coordinate bundle : bundles) {
            for (Document doc : metatypeDocuments(FeatureResolutionTest.jar(bundle))) {
                for (Row row : rows(doc)) {
                    if (rows.put(row.id(), row) != null) {
                        fail("two Metatype designates for " + row.id() + " (" + bundle + ")");
                    }
                }
            }
        }
        return rows;
    }

    /** The {@code OSGI-INF/metatype/*.xml} of a bundle jar, or of a reactor module's classes directory. */
    private static List<Document> metatypeDocuments(Path bundle) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        List<Document> documents = new ArrayList<>();
        if (Files.isDirectory(bundle)) {
            Path dir = bundle.resolve("OSGI-INF/metatype");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                        documents.add(factory.newDocumentBuilder().parse(file.toFile()));
                    }
                }
            }
            return documents;
        }
        try (JarFile jar = new JarFile(bundle.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith("OSGI-INF/metatype/") && entry.getName().endsWith(".xml")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        documents.add(factory.newDocumentBuilder().parse(in));
                    }
                }
            }
        }
        return documents;
    }

    /** The rows of one Metatype document: each Designate's OCD attributes under its PID or factory PID. */
    private static List<Row> rows(Document doc) {
        Map<String, Element> ocds = new HashMap<>();
        for (Element ocd : children(doc.getDocumentElement(), "OCD")) {
            ocds.put(ocd.getAttribute("id"), ocd);
        }
        List<Row> rows = new ArrayList<>();
        for (Element designate : children(doc.getDocumentElement(), "Designate")) {
            boolean factory = !designate.getAttribute("factoryPid").isEmpty();
            String pid = factory ? designate.getAttribute("factoryPid") : designate.getAttribute("pid");
            for (Element object : children(designate, "Object")) {
                Element ocd = ocds.get(object.getAttribute("ocdref"));
                if (ocd == null) {
                    throw new AssertionError("Designate " + pid + " names the unknown OCD "
                            + object.getAttribute("ocdref"));
                }
                for (Element ad : children(ocd, "AD")) {
                    String value = !ad.hasAttribute("default") ? NO_DEFAULT
                            : ad.getAttribute("default").isEmpty() ? EMPTY_DEFAULT : ad.getAttribute("default");
                    rows.add(new Row(pid, factory, ad.getAttribute("id"), value));
                }
            }
        }
        return rows;
    }

    /** Child elements by local name: Metatype puts its elements in no namespace, under a namespaced root. */
    private static List<Element> children(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && localName.equals(e.getLocalName() == null ? e.getTagName()
                    : e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }

    // ---- the table ----

    static Path docPath() {
        return Path.of(System.getProperty("multistore.configuration.doc", "../docs/configuration.md")).normalize();
    }

    /** The rows of the table headed {@link #TABLE_HEADER}, up to the first line that is not a table row. */
    static Map<String, Row> tableRows(List<String> lines) {
        Map<String, Row> rows = new TreeMap<>();
        int start = lines.indexOf(TABLE_HEADER);
        if (start < 0) {
            return rows;
        }
        for (int i = start + 2; i < lines.size() && lines.get(i).strip().startsWith("|"); i++) {
            String line = lines.get(i).strip();
            // cells may hold LDAP filters: a literal '|' is written '\|', as Markdown tables require
            String[] cells = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length())
                    .split("(?<!\\\\)\\|", -1);
            if (cells.length != 5) {
                throw new AssertionError("line " + (i + 1) + ": expected 5 cells: " + line);
            }
            String factory = cell(cells[1]);
            if (!factory.equals("yes") && !factory.equals("no")) {
                throw new AssertionError("line " + (i + 1) + ": Factory is 'yes' or 'no': " + line);
            }
            Row row = new Row(cell(cells[0]), factory.equals("yes"), cell(cells[2]), cell(cells[3]));
            if (rows.put(row.id(), row) != null) {
                throw new AssertionError("line " + (i + 1) + ": " + row.id() + " appears twice");
            }
        }
        return rows;
    }

    /** A cell's text without surrounding blanks and code backticks, with {@code \|} unescaped. */
    private static String cell(String raw) {
        String text = raw.strip();
        if (text.length() >= 2 && text.startsWith("`") && text.endsWith("`")) {
            text = text.substring(1, text.length() - 1);
        }
        return text.replace("\\|", "|");
    }
}
