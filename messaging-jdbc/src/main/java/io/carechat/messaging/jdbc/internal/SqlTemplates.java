package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

/**
 * Renders SQL written with {@code ${p}} before each table name into SQL for the configured table
 * prefix. Not API. Immutable and thread-safe.
 */
public final class SqlTemplates {
    private final String prefix;

    /**
     * Creates the renderer.
     *
     * @param prefix the table prefix, already validated, possibly empty
     */
    public SqlTemplates(String prefix) {
        this.prefix = requireNonNull(prefix, "prefix");
    }

    /**
     * Renders one statement.
     *
     * @param template SQL with {@code ${p}} before each CareChat table name
     * @return the SQL to run
     */
    public String render(String template) {
        return template.replace("${p}", prefix);
    }

    /**
     * A list of named parameters for an {@code IN (...)} clause.
     *
     * @param name the parameters' common name
     * @param count how many
     * @return {@code :name0, :name1, ...}
     */
    public static String parameterList(String name, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(':').append(name).append(i);
        }
        return sb.toString();
    }
}
