package io.carechat.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks {@link ArchitectureRules} against the main classes of every module on this module's
 * class path (core, the kit, JDBC, WebSocket and the example server), and checks that each rule does
 * report a violation when one is there, using the small fixture packages under
 * {@code io.carechat.messaging.archfixture} in this test tree.
 */
@DisplayName("The architecture keeps its layers: no adapter in core, internals private, no package cycles")
class ArchitectureTest {
    private static JavaClasses production;
    private static JavaClasses fixtures;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.carechat");
        fixtures = new ClassFileImporter().importPackages("io.carechat.messaging.archfixture");
    }

    static Stream<ArchRule> rules() {
        return ArchitectureRules.ALL.stream();
    }

    @Test
    void everyModuleIsImported() {
        assertThat(production.containPackage("io.carechat.messaging.hub")).isTrue();
        assertThat(production.containPackage("io.carechat.messaging.jdbc.internal")).isTrue();
        assertThat(production.containPackage("io.carechat.messaging.websocket.internal")).isTrue();
        assertThat(production.containPackage("io.carechat.messaging.tck.transport")).isTrue();
        assertThat(production.containPackage("io.carechat.examples")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theCodeKeepsTheRule(ArchRule rule) {
        rule.check(production);
    }

    @Test
    void aCoreClassUsingAnAdapterBreaksTheLayering() {
        EvaluationResult result = ArchitectureRules.CORE_IMPORTS_NO_ADAPTER.evaluate(fixtures);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("CoreReachingIntoAdapters");
    }

    @Test
    void anotherModuleUsingAnInternalClassIsCaught() {
        EvaluationResult result = ArchitectureRules.WEBSOCKET_INTERNALS_STAY_IN_WEBSOCKET.evaluate(
                new ClassFileImporter().importPackages(
                        "io.carechat.messaging.archfixture", "io.carechat.messaging.websocket.internal"));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("CoreReachingIntoAdapters");
    }

    @Test
    void twoPackagesUsingEachOtherAreACycle() {
        EvaluationResult result = ArchitectureRules.NO_PACKAGE_CYCLES.evaluate(fixtures);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("archfixture.cycle.a", "archfixture.cycle.b");
    }
}
