/**
 * CareChat storage on a JDBC database, through Jdbi, with Flyway migrations: start at
 * {@link io.carechat.messaging.jdbc.JdbcStorage#builder(javax.sql.DataSource)}. Runs on embedded H2
 * and on PostgreSQL, each through a dialect chosen from the connection's metadata. Several nodes
 * sharing one PostgreSQL database exchange events through
 * {@link io.carechat.messaging.jdbc.PostgresEventBus}.
 */
@NullMarked
package io.carechat.messaging.jdbc;

import org.jspecify.annotations.NullMarked;
