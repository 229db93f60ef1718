package io.carechat.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.auth.DirectoryUser;
import io.carechat.messaging.auth.UserDirectory;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The demo's admin-only front of the user directory API ({@code Accounts.directory()}): an admin
 * keeps a user of the hospital's own directory in step by its external subject, as an HR sync
 * would, with no password (such users sign in through the identity provider only).
 * {@code PUT /api/admin/directory/users/{subject}} creates or replaces the user,
 * {@code POST /api/admin/directory/users/{subject}/deactivate} deactivates it. The directory API
 * itself trusts its caller, so every call checks the admin role here first (403 otherwise); the
 * audit trail records the acting system as {@value #ACTOR}. Stateless and thread-safe.
 */
final class DirectoryApi {
    /** The acting system the audit trail names for changes made through this endpoint. */
    static final String ACTOR = "demo-admin-api";

    private final UserDirectory directory;
    private final Authenticator auth;

    DirectoryApi(UserDirectory directory, Authenticator auth) {
        this.directory = directory;
        this.auth = auth;
    }

    void register(Router router) {
        router.route("PUT", "/api/admin/directory/users/{user}", this::upsert)
                .route("POST", "/api/admin/directory/users/{user}/deactivate", this::deactivate);
    }

    private ApiResponse upsert(ApiRequest request) {
        requireAdmin(request);
        UserId subject = subject(request.pathParam(0));
        JsonNode body = request.jsonBody();
        DirectoryUser user = new DirectoryUser(subject, ApiRequest.text(body, "username"),
                ApiRequest.text(body, "email"), ApiRequest.text(body, "displayName"), roles(body));
        User stored = directory.upsert(ACTOR, user);
        return ApiResponse.ok(Map.of("user", Json.user(stored)));
    }

    private ApiResponse deactivate(ApiRequest request) {
        requireAdmin(request);
        return ApiResponse.ok(Map.of("user", Json.user(directory.deactivate(ACTOR, subject(request.pathParam(0))))));
    }

    private void requireAdmin(ApiRequest request) {
        Caller caller = auth.caller(request);
        if (!caller.hasRole(Role.ADMIN)) {
            throw new ForbiddenException("only an admin may change the user directory");
        }
    }

    private static Set<Role> roles(JsonNode body) {
        JsonNode roles = body.get("roles");
        if (roles == null || !roles.isArray() || roles.isEmpty()) {
            throw new BadRequestException("'roles' must be a non-empty array of role names");
        }
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        for (JsonNode role : roles) {
            if (!role.isTextual()) {
                throw new BadRequestException("'roles' must be a non-empty array of role names");
            }
            parsed.add(AccountApi.role(role.asText()));
        }
        return parsed;
    }

    private static UserId subject(String text) {
        try {
            return UserId.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("not a well-formed user id");
        }
    }
}
