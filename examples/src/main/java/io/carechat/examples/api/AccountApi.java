package io.carechat.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.examples.http.AddressRateLimiter;
import io.carechat.examples.http.ApiException;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.auth.Accounts;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.SessionTokens;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registration, login, refresh, logout, the caller's own account and role requests. In
 * external-only mode (CareChat issues no tokens; users sign in with the hospital's identity
 * provider) registration, login and refresh answer 403 with a message saying so. Thread-safe.
 */
public final class AccountApi {
    private final Accounts accounts;
    private final Authenticator auth;
    static final String EXTERNAL_SIGN_IN_ONLY =
            "this server issues no tokens: sign in with the hospital's identity provider";

    private final AddressRateLimiter registrations;
    private final boolean issuesTokens;

    AccountApi(Accounts accounts, Authenticator auth, AddressRateLimiter registrations, boolean issuesTokens) {
        this.accounts = accounts;
        this.auth = auth;
        this.registrations = registrations;
        this.issuesTokens = issuesTokens;
    }

    private void requireTokenIssuing() {
        if (!issuesTokens) {
            throw new ApiException(ErrorCode.FORBIDDEN, EXTERNAL_SIGN_IN_ONLY);
        }
    }

    void register(Router router) {
        router.anonymousRoute("POST", "/api/auth/register", this::registerUser)
                .anonymousRoute("POST", "/api/auth/login", this::login)
                .anonymousRoute("POST", "/api/auth/refresh", this::refresh)
                .route("POST", "/api/auth/logout", this::logout)
                .route("GET", "/api/me", this::me)
                .route("POST", "/api/me/role-requests", this::requestRole);
    }

    private ApiResponse registerUser(ApiRequest request) {
        requireTokenIssuing();
        long retryAfter = registrations.acquire(request.clientAddress());
        if (retryAfter > 0) {
            throw new ApiException(ErrorCode.RATE_LIMITED, "too many registrations from this address; try again later",
                    retryAfter);
        }
        JsonNode body = request.jsonBody();
        var user = accounts.register(new Registration(ApiRequest.text(body, "username"), ApiRequest.text(body, "email"),
                ApiRequest.text(body, "password"), ApiRequest.text(body, "displayName")), Authenticator.client(request));
        return ApiResponse.created(Map.of("user", Json.user(user)));
    }

    private ApiResponse login(ApiRequest request) {
        requireTokenIssuing();
        JsonNode body = request.jsonBody();
        SessionTokens tokens = accounts.login(ApiRequest.text(body, "login"), ApiRequest.text(body, "password"),
                Authenticator.client(request));
        return ApiResponse.ok(session(tokens));
    }

    private ApiResponse refresh(ApiRequest request) {
        requireTokenIssuing();
        JsonNode body = request.jsonBody();
        return ApiResponse.ok(session(accounts.refresh(ApiRequest.text(body, "refreshToken"), Authenticator.client(request))));
    }

    private ApiResponse logout(ApiRequest request) {
        Caller caller = auth.caller(request);
        accounts.logout(caller);
        return ApiResponse.noContent();
    }

    private ApiResponse me(ApiRequest request) {
        return ApiResponse.ok(Map.of("user", Json.user(accounts.me(auth.caller(request)))));
    }

    private ApiResponse requestRole(ApiRequest request) {
        Caller caller = auth.caller(request);
        JsonNode body = request.jsonBody();
        Role role = role(ApiRequest.text(body, "role"));
        String note = Optional.ofNullable(ApiRequest.optionalText(body, "note")).orElse("");
        var created = accounts.requestRole(caller, role, note);
        return ApiResponse.created(Map.of("request", Json.roleRequest(created, Optional.empty())));
    }

    static Role role(String name) {
        try {
            return Role.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("role must be ADMIN, DOCTOR or PATIENT");
        }
    }

    private static Map<String, Object> session(SessionTokens tokens) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessToken", tokens.accessToken());
        out.put("refreshToken", tokens.refreshToken());
        out.put("expiresIn", tokens.expiresIn());
        out.put("user", Json.user(tokens.user()));
        return out;
    }
}
