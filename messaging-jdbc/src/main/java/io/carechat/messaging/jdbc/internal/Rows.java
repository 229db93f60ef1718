package io.carechat.messaging.jdbc.internal;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jspecify.annotations.Nullable;

/**
 * Maps rows to domain values and domain values to column values. Not API. Stateless and
 * thread-safe.
 *
 * <p>Times are stored as {@code TIMESTAMP WITH TIME ZONE} in UTC (on MariaDB and MySQL as
 * {@code DATETIME(6)} holding UTC), bound and truncated to the database's precision by the
 * {@link Dialect} ({@link Dialect#timestamp(Instant)}), and read back here through
 * {@link OffsetDateTime}, which every supported driver returns for such a column, or for a
 * {@code DATETIME} column through {@link LocalDateTime} taken as UTC.
 */
public final class Rows {
    /** The columns of a user row, in the users table. */
    public static final String USER_COLUMNS =
            "id, username, email, display_name, roles, enabled, created_at";

    /** The columns of a message row, in the messages table. */
    public static final String MESSAGE_COLUMNS =
            "id, conversation_id, seq, sender_id, body, priority, sent_at, client_msg_id, attachments";

    /** The columns of a member row, in the members table. */
    public static final String MEMBER_COLUMNS =
            "conversation_id, user_id, delivered_seq, read_seq, unread, joined_seq";

    /** Maps a row of {@link #USER_COLUMNS}. */
    public static final RowMapper<User> USER = (rs, ctx) -> user(rs);

    /** Maps a row of {@link #MESSAGE_COLUMNS}. */
    public static final RowMapper<Message> MESSAGE = (rs, ctx) -> new Message(
            MessageId.of(rs.getString("id")),
            ConversationId.of(rs.getString("conversation_id")),
            rs.getLong("seq"),
            UserId.of(rs.getString("sender_id")),
            rs.getString("body"),
            Priority.valueOf(rs.getString("priority")),
            instant(rs, "sent_at"),
            rs.getString("client_msg_id"),
            AttachmentsJson.read(rs.getString("attachments")));

    /** Maps a row of {@link #MEMBER_COLUMNS}. */
    public static final RowMapper<MemberState> MEMBER = (rs, ctx) -> member(rs);

    private Rows() {}

    /**
     * Reads a user from a row of {@link #USER_COLUMNS}.
     *
     * @param rs the row
     * @return the user
     * @throws SQLException if reading fails
     */
    public static User user(ResultSet rs) throws SQLException {
        return new User(
                UserId.of(rs.getString("id")),
                rs.getString("username"),
                rs.getString("email"),
                rs.getString("display_name"),
                roles(rs.getString("roles")),
                rs.getBoolean("enabled"),
                instant(rs, "created_at"));
    }

    /**
     * Reads a member's state from a row with the columns of {@link #MEMBER_COLUMNS}.
     *
     * @param rs the row
     * @return the state
     * @throws SQLException if reading fails
     */
    public static MemberState member(ResultSet rs) throws SQLException {
        return new MemberState(
                ConversationId.of(rs.getString("conversation_id")),
                UserId.of(rs.getString("user_id")),
                rs.getLong("delivered_seq"),
                rs.getLong("read_seq"),
                rs.getLong("unread"),
                rs.getLong("joined_seq"));
    }

    /**
     * Reads a non-null time column.
     *
     * @param rs the row
     * @param column the column
     * @return the time
     * @throws SQLException if reading fails or the column is null
     */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Instant value = nullableInstant(rs, column);
        if (value == null) {
            throw new SQLException("column " + column + " is null");
        }
        return value;
    }

    /**
     * Reads a time column that may be null.
     *
     * @param rs the row
     * @param column the column
     * @return the time, or null
     * @throws SQLException if reading fails
     */
    public static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        if (holdsUtcDateTime(rs, column)) {
            LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
            return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A MariaDB or MySQL {@code DATETIME} column, which holds UTC without a zone. */
    private static boolean holdsUtcDateTime(ResultSet rs, String column) throws SQLException {
        return "DATETIME".equalsIgnoreCase(rs.getMetaData().getColumnTypeName(rs.findColumn(column)));
    }

    /**
     * The column value for a role set: names in declaration order, each between commas, so
     * {@code LIKE '%,DOCTOR,%'} finds holders of a role.
     *
     * @param roles the roles
     * @return the column value
     */
    public static String rolesColumn(Set<Role> roles) {
        StringJoiner joiner = new StringJoiner(",", ",", ",");
        EnumSet.copyOf(roles).forEach(role -> joiner.add(role.name()));
        return joiner.toString();
    }

    /**
     * The pattern that matches the roles column of holders of a role.
     *
     * @param role the role
     * @return the {@code LIKE} pattern
     */
    public static String rolePattern(Role role) {
        return "%," + role.name() + ",%";
    }

    private static Set<Role> roles(String column) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : column.split(",")) {
            if (!name.isEmpty()) {
                roles.add(Role.valueOf(name));
            }
        }
        return roles;
    }
}
