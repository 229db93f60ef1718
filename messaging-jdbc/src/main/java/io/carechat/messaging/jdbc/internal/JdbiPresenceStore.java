package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static io.carechat.messaging.jdbc.internal.StorageFailures.run;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.NodePresence;
import io.carechat.messaging.spi.PresenceStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link PresenceStore} on the {@code presence_nodes} and {@code presence} tables. A node's
 * replacement is one transaction; a renewal, a read and a purge are one statement or two. Not API.
 * Thread-safe.
 */
public final class JdbiPresenceStore implements PresenceStore {
    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;

    /**
     * Creates the store.
     *
     * @param jdbi the configured Jdbi
     * @param sql the table-name renderer
     * @param dialect what differs on this database
     */
    public JdbiPresenceStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public void replace(String nodeId, List<NodePresence> users, Instant leaseUntil) {
        requireNonNull(nodeId, "nodeId");
        requireNonNull(leaseUntil, "leaseUntil");
        for (NodePresence user : users) {
            if (!user.nodeId().equals(nodeId)) {
                throw new IllegalArgumentException("an entry of node " + user.nodeId() + " given for node " + nodeId);
            }
        }
        run(() -> jdbi.useTransaction(h -> {
            forget(h, nodeId);
            h.createUpdate(sql.render("INSERT INTO ${p}presence_nodes (node_id, lease_until) VALUES (:node, :until)"))
                    .bind("node", nodeId)
                    .bind("until", dialect.timestamp(leaseUntil))
                    .execute();
            if (!users.isEmpty()) {
                PreparedBatch batch = h.prepareBatch(sql.render("INSERT INTO ${p}presence"
                        + " (node_id, user_id, status, changed_at) VALUES (:node, :user, :status, :at)"));
                for (NodePresence user : users) {
                    batch.bind("node", nodeId)
                            .bind("user", user.userId().value())
                            .bind("status", user.presence().name())
                            .bind("at", dialect.timestamp(user.changedAt()))
                            .add();
                }
                batch.execute();
            }
        }));
    }

    @Override
    public boolean renew(String nodeId, Instant leaseUntil) {
        requireNonNull(nodeId, "nodeId");
        requireNonNull(leaseUntil, "leaseUntil");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render(
                        "UPDATE ${p}presence_nodes SET lease_until = :until WHERE node_id = :node"))
                .bind("until", dialect.timestamp(leaseUntil))
                .bind("node", nodeId)
                .execute() == 1));
    }

    @Override
    public List<NodePresence> live(Instant now) {
        requireNonNull(now, "now");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT p.node_id, p.user_id, p.status, p.changed_at FROM ${p}presence p"
                                + " JOIN ${p}presence_nodes n ON n.node_id = p.node_id WHERE n.lease_until > :now"))
                .bind("now", dialect.timestamp(now))
                .map((rs, ctx) -> new NodePresence(rs.getString("node_id"), UserId.of(rs.getString("user_id")),
                        Presence.valueOf(rs.getString("status")), Rows.instant(rs, "changed_at")))
                .list()));
    }

    @Override
    public int forgetExpired(Instant now) {
        requireNonNull(now, "now");
        return call(() -> jdbi.inTransaction(h -> {
            List<String> expired = h.createQuery(sql.render(
                            "SELECT node_id FROM ${p}presence_nodes WHERE lease_until < :now"))
                    .bind("now", dialect.timestamp(now))
                    .mapTo(String.class)
                    .list();
            for (String node : expired) {
                forget(h, node);
            }
            return expired.size();
        }));
    }

    @Override
    public void leave(String nodeId) {
        requireNonNull(nodeId, "nodeId");
        run(() -> jdbi.useTransaction(h -> forget(h, nodeId)));
    }

    private void forget(Handle h, String nodeId) {
        h.createUpdate(sql.render("DELETE FROM ${p}presence WHERE node_id = :node")).bind("node", nodeId).execute();
        h.createUpdate(sql.render("DELETE FROM ${p}presence_nodes WHERE node_id = :node")).bind("node", nodeId).execute();
    }
}
