package io.multistore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LogLevelsTest {

    private static final String MULTISTORE = LogLevels.LOGGER_PREFIX + "io.multistore";

    @Test
    void unsetMeansTheRustDefault() {
        assertEquals(Map.of(MULTISTORE, "info"), LogLevels.fromEnvironment(null, null).properties());
        assertEquals(Map.of(MULTISTORE, "info"), LogLevels.fromEnvironment(" ", null).properties());
    }

    @Test
    void multistoreTargetMapsToTheJavaPackage() {
        assertEquals(Map.of(MULTISTORE, "info"), LogLevels.fromEnvironment("multistore=info", null).properties());
        assertEquals(Map.of(MULTISTORE, "debug"), LogLevels.fromEnvironment("multistore=DEBUG", null).properties());
        assertEquals(Map.of(MULTISTORE, "trace"),
                LogLevels.fromEnvironment("multistore_server=trace", null).properties());
        assertEquals(Map.of(LogLevels.LOGGER_PREFIX + "io.multistore.sts", "warn"),
                LogLevels.fromEnvironment("multistore::sts=warn", null).properties());
    }

    @Test
    void bareLevelSetsTheDefault() {
        assertEquals(Map.of(LogLevels.DEFAULT_LEVEL, "info"), LogLevels.fromEnvironment("info", null).properties());
        assertEquals(Map.of(MULTISTORE, "debug", LogLevels.DEFAULT_LEVEL, "warn"),
                LogLevels.fromEnvironment("multistore=debug,warn", null).properties());
    }

    @Test
    void targetWithoutLevelEnablesEverything() {
        assertEquals(Map.of(MULTISTORE, "trace"), LogLevels.fromEnvironment("multistore", null).properties());
    }

    @Test
    void javaStyleNamesPassThroughAndWinOverRustLog() {
        LogLevels levels = LogLevels.fromEnvironment("multistore=info,warn",
                "io.multistore=debug, org.eclipse.jetty=info,error");
        assertEquals(Map.of(MULTISTORE, "debug", LogLevels.LOGGER_PREFIX + "org.eclipse.jetty", "info",
                LogLevels.DEFAULT_LEVEL, "error"), levels.properties());
        assertEquals(List.of(), levels.warnings());
    }

    @Test
    void invalidDirectivesAreReportedAndSkipped() {
        LogLevels levels = LogLevels.fromEnvironment("multistore=loud,,=info,info", "x=");
        assertEquals(Map.of(LogLevels.DEFAULT_LEVEL, "info"), levels.properties());
        assertEquals(3, levels.warnings().size());
        assertTrue(levels.warnings().get(0).startsWith("RUST_LOG: ignoring invalid directive 'multistore=loud'"));
        assertTrue(levels.warnings().get(2).startsWith("MULTISTORE_LOG_LEVEL:"));
    }
}
