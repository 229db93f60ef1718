package io.carechat.benchmarks.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Runs {@code EXPLAIN (ANALYZE, BUFFERS)} on statements the product executed, with the parameters
 * it bound, inside a transaction that is rolled back, so nothing is left changed. A write that
 * cannot run a second time (its rows are there already: a message's or an audit event's key) gets
 * its plan without {@code ANALYZE}, marked so.
 *
 * <p>Stateless and thread-safe; each call takes one connection from the data source and returns it.
 */
final class PlanExplainer {
    private static final String EXECUTION_TIME = "Execution Time:";

    private PlanExplainer() {}

    /**
     * One statement's plan.
     *
     * @param sql the statement as the product ran it
     * @param plan the plan's text lines
     * @param analyzed whether the statement ran ({@code ANALYZE}) or was only planned
     */
    record Plan(String sql, List<String> plan, boolean analyzed) {
        /** @return whether the plan reads the whole messages table */
        boolean scansMessages() {
            return plan.stream().anyMatch(line -> line.contains("Seq Scan on messages"));
        }

        /** @return the statement's execution time in the database as {@code ANALYZE} reported it, or 0 if not run */
        double executionMillis() {
            for (String line : plan) {
                if (line.startsWith(EXECUTION_TIME)) {
                    return Double.parseDouble(line.substring(EXECUTION_TIME.length()).replace("ms", "").trim());
                }
            }
            return 0;
        }
    }

    /**
     * Explains each distinct statement once, in the order first executed.
     *
     * @param dataSource the database, without the recorder in front
     * @param executed the statements as recorded
     * @return one plan per distinct SQL text
     * @throws SQLException if explaining fails for another reason than a conflicting rerun
     */
    static List<Plan> explain(DataSource dataSource, List<StatementRecorder.Executed> executed) throws SQLException {
        Map<String, StatementRecorder.Executed> distinct = new LinkedHashMap<>();
        for (StatementRecorder.Executed e : executed) {
            distinct.putIfAbsent(e.sql(), e);
        }
        List<Plan> plans = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (StatementRecorder.Executed e : distinct.values()) {
                    plans.add(explainOne(c, e));
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return plans;
    }

    private static Plan explainOne(Connection c, StatementRecorder.Executed e) throws SQLException {
        var savepoint = c.setSavepoint();
        try {
            return new Plan(e.sql(), run(c, "EXPLAIN (ANALYZE, BUFFERS) ", e), true);
        } catch (SQLException failed) {
            if (!"23505".equals(failed.getSQLState())) {
                throw failed;
            }
            c.rollback(savepoint);
            return new Plan(e.sql(), run(c, "EXPLAIN ", e), false);
        }
    }

    private static List<String> run(Connection c, String explain, StatementRecorder.Executed e) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(explain + e.sql())) {
            for (StatementRecorder.Parameter p : e.parameters()) {
                p.applyTo(statement);
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        }
    }
}
