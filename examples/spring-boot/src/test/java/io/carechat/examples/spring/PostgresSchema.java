package io.carechat.examples.spring;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh role and schema of its name on the PostgreSQL server named by
 * {@code CARECHAT_TEST_POSTGRES_URL}, so the application's tables land in a schema of their own
 * (the role's default search path) and are dropped afterwards. When the variable is unset the
 * test is skipped with a message, unless {@code CARECHAT_REQUIRE_POSTGRES=1}, which fails it.
 * Not thread-safe.
 */
final class PostgresSchema {

    static final String URL_VARIABLE = "CARECHAT_TEST_POSTGRES_URL";
    static final String REQUIRE_VARIABLE = "CARECHAT_REQUIRE_POSTGRES";

    private final String adminUrl;
    private final String name;

    private PostgresSchema(String adminUrl) throws SQLException {
        this.adminUrl = adminUrl;
        this.name = "cc_boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE ROLE " + name + " LOGIN");
        admin("CREATE SCHEMA " + name + " AUTHORIZATION " + name);
    }

    private static final String WHY = URL_VARIABLE + " is not set (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres)";

    /**
     * Skips a whole test class, with the reason shown for each of its tests, before Spring starts
     * anything, when no server is configured and {@code CARECHAT_REQUIRE_POSTGRES=1} is not set.
     */
    static final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return configured() || required() ? ConditionEvaluationResult.enabled("PostgreSQL configured or required")
                    : ConditionEvaluationResult.disabled("PostgreSQL tests skipped: " + WHY);
        }
    }

    /** Makes the schema, or skips (or fails) the calling test when no server is configured. */
    static PostgresSchema create() {
        if (!configured()) {
            if (required()) {
                fail("PostgreSQL tests are required by " + REQUIRE_VARIABLE + "=1 but " + WHY);
            }
            Assumptions.abort("PostgreSQL tests skipped: " + WHY);
        }
        String url = System.getenv(URL_VARIABLE);
        try {
            return new PostgresSchema(url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare a PostgreSQL test schema", e);
        }
    }

    private static boolean configured() {
        String url = System.getenv(URL_VARIABLE);
        return url != null && !url.isBlank();
    }

    private static boolean required() {
        return "1".equals(System.getenv(REQUIRE_VARIABLE));
    }

    /** The JDBC URL that logs in as the schema's role. */
    String url() {
        int query = adminUrl.indexOf('?');
        String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
        StringBuilder params = new StringBuilder("user=").append(name);
        if (query >= 0) {
            for (String param : adminUrl.substring(query + 1).split("&")) {
                if (!param.isEmpty() && !param.startsWith("user=") && !param.startsWith("password=")) {
                    params.append('&').append(param);
                }
            }
        }
        return base + "?" + params;
    }

    /** Ends the role's sessions and drops the schema and the role. */
    void drop() throws SQLException {
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + name + "'");
        admin("DROP SCHEMA " + name + " CASCADE");
        admin("DROP ROLE " + name);
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
