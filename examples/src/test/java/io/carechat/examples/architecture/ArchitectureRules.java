package io.carechat.examples.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The layering CareChat keeps, as rules over compiled classes: core never imports an adapter, an
 * {@code internal} package is used only inside its own module, and no two packages depend on each
 * other. {@link ArchitectureTest} checks them against every module's main classes.
 *
 * <p>The modules are told apart by package: every adapter lives under its own package below
 * {@code io.carechat.messaging}, and everything else below it is core. A new adapter module adds
 * its package to {@link #ADAPTERS}. Stateless; the rules are immutable and thread-safe.
 */
final class ArchitectureRules {
    /** The package of each adapter module (and of the kit), below which nothing is core. */
    static final List<String> ADAPTERS = List.of(
            "io.carechat.messaging.jdbc..", "io.carechat.messaging.websocket..", "io.carechat.messaging.tck..");

    private static final DescribedPredicate<JavaClass> IN_CORE = resideInAPackage("io.carechat.messaging..")
            .and(not(resideInAnyPackage(ADAPTERS.toArray(String[]::new))))
            .as("core (io.carechat.messaging outside the adapters' packages)");

    /** Core depends on the SPI it defines, never on an adapter. */
    static final ArchRule CORE_IMPORTS_NO_ADAPTER = noClasses()
            .that(IN_CORE)
            .should()
            .dependOnClassesThat(resideInAnyPackage(ADAPTERS.toArray(String[]::new)))
            .as("core imports no adapter");

    /** Core's internal package is core's own. */
    static final ArchRule CORE_INTERNALS_STAY_IN_CORE = classes()
            .that()
            .resideInAPackage("io.carechat.messaging.internal..")
            .should()
            .onlyHaveDependentClassesThat(IN_CORE)
            .as("io.carechat.messaging.internal is used only inside messaging-core");

    /** The JDBC adapter's internal package is its own. */
    static final ArchRule JDBC_INTERNALS_STAY_IN_JDBC = internalsStayIn("io.carechat.messaging.jdbc");

    /** The WebSocket adapter's internal package is its own. */
    static final ArchRule WEBSOCKET_INTERNALS_STAY_IN_WEBSOCKET = internalsStayIn("io.carechat.messaging.websocket");

    /** Every package, in every module, is free of cycles with every other. */
    static final ArchRule NO_PACKAGE_CYCLES = slices()
            .matching("io.carechat.(**)")
            .should()
            .beFreeOfCycles()
            .as("no package cycles");

    /** Every rule, for a test that checks them all. */
    static final List<ArchRule> ALL = List.of(
            CORE_IMPORTS_NO_ADAPTER,
            CORE_INTERNALS_STAY_IN_CORE,
            JDBC_INTERNALS_STAY_IN_JDBC,
            WEBSOCKET_INTERNALS_STAY_IN_WEBSOCKET,
            NO_PACKAGE_CYCLES);

    private ArchitectureRules() {}

    private static ArchRule internalsStayIn(String modulePackage) {
        return classes()
                .that()
                .resideInAPackage(modulePackage + ".internal..")
                .should()
                .onlyHaveDependentClassesThat(resideInAPackage(modulePackage + ".."))
                .as(modulePackage + ".internal is used only inside its own module");
    }
}
