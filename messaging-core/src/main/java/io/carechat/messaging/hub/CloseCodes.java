package io.carechat.messaging.hub;

/**
 * The WebSocket close codes and reasons the {@link Hub} uses; {@code docs/protocol.md} has the
 * same table. Reasons are short lower-case words a client can switch on.
 *
 * <table>
 *   <caption>Close codes</caption>
 *   <tr><th>code</th><th>reasons</th><th>when</th></tr>
 *   <tr><td>4401</td><td>{@code auth_required}, {@code unauthenticated}, {@code token_expired},
 *       {@code idle_timeout}, {@code subject_mismatch}, {@code logged_out},
 *       {@code account_disabled}, {@code roles_changed}</td><td>authentication failed or ended
 *       (also a valid token for an account that is disabled or gone)</td></tr>
 *   <tr><td>4408</td><td>{@code auth_timeout}</td><td>no authentication in time</td></tr>
 *   <tr><td>4429</td><td>{@code slow_consumer}</td><td>the client stopped reading</td></tr>
 *   <tr><td>1008</td><td>{@code too_many_sockets}</td><td>the user has the most sockets
 *       allowed; {@code too_many_unauthenticated}: the client's address holds the most
 *       sockets that have not authenticated yet (a transport's limit)</td></tr>
 *   <tr><td>1013</td><td>{@code unavailable}</td><td>storage was down while the session
 *       started; reconnect later</td></tr>
 *   <tr><td>1011</td><td>{@code internal_error}</td><td>an unexpected failure while the session
 *       started</td></tr>
 *   <tr><td>1001</td><td>{@code server_shutdown}</td><td>the hub is closing</td></tr>
 * </table>
 *
 * <p>Constants only; not instantiable.
 */
public final class CloseCodes {
    /** The server is going away. */
    public static final int GOING_AWAY = 1001;
    /** The user already has the most sockets allowed. */
    public static final int POLICY_VIOLATION = 1008;
    /** An unexpected failure while starting the session. */
    public static final int INTERNAL_ERROR = 1011;
    /** Storage was down while starting the session; try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Authentication missing, invalid, expired, idle or revoked. */
    public static final int UNAUTHENTICATED = 4401;
    /** No authentication within the timeout. */
    public static final int AUTH_TIMEOUT = 4408;
    /** The client stopped reading and its outbound queue filled. */
    public static final int SLOW_CONSUMER = 4429;

    private CloseCodes() {}
}
