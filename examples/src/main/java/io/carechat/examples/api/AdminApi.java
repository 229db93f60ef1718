package io.carechat.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.auth.Accounts;
import io.carechat.messaging.spi.UserStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** User management and the role workflow, for admins. Thread-safe. */
public final class AdminApi {
    private static final int PAGE = 200;

    private final Accounts accounts;
    private final UserStore users;
    private final Authenticator auth;

    /** The user store only resolves the names of users whose requests an admin already sees. */
    AdminApi(Accounts accounts, UserStore users, Authenticator auth) {
        this.accounts = accounts;
        this.users = users;
        this.auth = auth;
    }

    void register(Router router) {
        router.route("GET", "/api/admin/users", this::listUsers)
                .route("PUT", "/api/admin/users/{user}/roles", this::setRoles)
                .route("POST", "/api/admin/users/{user}/disable", this::disable)
                .route("GET", "/api/admin/role-requests", this::pending)
                .route("POST", "/api/admin/role-requests/{}/approve", r -> decide(r, true))
                .route("POST", "/api/admin/role-requests/{}/deny", r -> decide(r, false));
    }

    private ApiResponse listUsers(ApiRequest request) {
        Caller admin = auth.caller(request);
        List<User> page = accounts.listUsers(admin, request.query("after").orElse(null), PAGE);
        return ApiResponse.ok(Map.of("users", page.stream().map(Json::user).toList()));
    }

    private ApiResponse setRoles(ApiRequest request) {
        Caller admin = auth.caller(request);
        JsonNode roles = request.jsonBody().get("roles");
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
        User changed = accounts.setRoles(admin, userId(request.pathParam(0)), parsed);
        return ApiResponse.ok(Map.of("user", Json.user(changed)));
    }

    private ApiResponse disable(ApiRequest request) {
        Caller admin = auth.caller(request);
        return ApiResponse.ok(Map.of("user", Json.user(accounts.disable(admin, userId(request.pathParam(0))))));
    }

    private ApiResponse pending(ApiRequest request) {
        Caller admin = auth.caller(request);
        List<RoleRequest> requests = accounts.pendingRoleRequests(admin, PAGE);
        Map<UserId, User> askers = new java.util.HashMap<>();
        users.findAll(requests.stream().map(RoleRequest::userId).toList()).forEach(u -> askers.put(u.id(), u));
        return ApiResponse.ok(Map.of("requests", requests.stream()
                .map(r -> Json.roleRequest(r, java.util.Optional.ofNullable(askers.get(r.userId())))).toList()));
    }

    private ApiResponse decide(ApiRequest request, boolean approve) {
        Caller admin = auth.caller(request);
        RoleRequestId id = RoleRequestId.of(request.pathParam(0));
        RoleRequest decided = approve ? accounts.approve(admin, id) : accounts.deny(admin, id);
        return ApiResponse.ok(Map.of("request", Json.roleRequest(decided, users.find(decided.userId()))));
    }

    private static UserId userId(String text) {
        try {
            return UserId.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("not a well-formed user id");
        }
    }
}
