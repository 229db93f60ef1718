/**
 * Accounts and authentication: access tokens (signed JWTs, verified against an algorithm
 * allowlist), rotating refresh tokens, password hashing and policy, login throttling,
 * registration and the role workflow. {@link io.carechat.messaging.auth.AccessTokens} turns a
 * token into a {@link io.carechat.messaging.model.Caller}; {@link io.carechat.messaging.auth.Accounts}
 * runs everything that creates, changes or ends an account's sessions, in three parts:
 * {@link io.carechat.messaging.auth.Sessions} (login, refresh, logout),
 * {@link io.carechat.messaging.auth.RoleRequests} (the role workflow) and
 * {@link io.carechat.messaging.auth.UserAdmin} (registration and user management). Every refusal of a
 * credential is one generic {@link io.carechat.messaging.error.UnauthenticatedException}; the specific
 * reason goes to the {@link io.carechat.messaging.spi.AuditSink}, never a token or password.
 */
@NullMarked
package io.carechat.messaging.auth;

import org.jspecify.annotations.NullMarked;
