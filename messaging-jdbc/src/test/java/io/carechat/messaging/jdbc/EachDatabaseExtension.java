package io.carechat.messaging.jdbc;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * What {@link EachDatabase} does: one run of the class per {@link DatabaseUnderTest}, which hands
 * the database to the class's constructor and skips the run, with the reason, where the database
 * is not configured. A failure names the database it happened on (as a suppressed
 * {@link RanOn}), since reports that flatten runs by method name, such as Surefire's, would not
 * tell. Stateless and thread-safe; JUnit makes it once per annotated class.
 */
final class EachDatabaseExtension implements ClassTemplateInvocationContextProvider {

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(DatabaseUnderTest.values()).map(Run::new);
    }

    /** One run of the class on one database. */
    private record Run(DatabaseUnderTest database) implements ClassTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "on " + database.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new DatabaseParameter(database), new SkipUnconfigured(database), new NameOnFailure(database));
        }
    }

    /** Resolves a {@link DatabaseUnderTest} parameter to the run's database. */
    private record DatabaseParameter(DatabaseUnderTest database) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == DatabaseUnderTest.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return database;
        }
    }

    /** Skips the run when its database is not configured here. */
    private record SkipUnconfigured(DatabaseUnderTest database) implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return database.skipReason()
                    .map(ConditionEvaluationResult::disabled)
                    .orElseGet(() -> ConditionEvaluationResult.enabled(database.displayName() + " is configured"));
        }
    }

    /** Adds the run's database to every failure of a test or of its set-up and tear-down. */
    private record NameOnFailure(DatabaseUnderTest database)
            implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            throw named(failure);
        }

        @Override
        public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
                throws Throwable {
            throw named(failure);
        }

        @Override
        public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
                throws Throwable {
            throw named(failure);
        }

        private Throwable named(Throwable failure) {
            if (!(failure instanceof TestAbortedException)) {
                failure.addSuppressed(new RanOn(database));
            }
            return failure;
        }
    }

    /** Names the database a failure happened on; it has no stack trace of its own. */
    static final class RanOn extends Exception {
        RanOn(DatabaseUnderTest database) {
            super("the test ran on " + database.displayName(), null, false, false);
        }
    }
}
