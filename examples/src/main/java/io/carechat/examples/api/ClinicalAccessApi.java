package io.carechat.examples.api;

import io.carechat.examples.http.ApiException;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.AccessLogEntry;
import io.carechat.messaging.model.AccessLogPage;
import io.carechat.messaging.model.BreakGlassAccess;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Emergency access and its accounting over HTTP: a doctor breaks the glass on a conversation they
 * are not a member of ({@code POST /api/conversations/{id}/break-glass}) and reads their grant
 * back while it lasts ({@code GET} on the same path); an admin reviews a grant with its reason
 * ({@code GET /api/admin/break-glass/{grantId}}); a patient reads who accessed their
 * conversations ({@code GET /api/me/access-log}). Thread-safe; holds no state of its own.
 */
public final class ClinicalAccessApi {
    private final Messaging messaging;
    private final Authenticator auth;

    ClinicalAccessApi(Messaging messaging, Authenticator auth) {
        this.messaging = messaging;
        this.auth = auth;
    }

    void register(Router router) {
        router.route("POST", "/api/conversations/{}/break-glass", this::breakGlass)
                .route("GET", "/api/conversations/{}/break-glass", this::activeGrant)
                .route("GET", "/api/me/access-log", this::accessLog)
                .route("GET", "/api/admin/break-glass/{}", this::review);
    }

    private ApiResponse review(ApiRequest request) {
        Caller caller = auth.caller(request);
        return ApiResponse.ok(Map.of("grant", grant(messaging.reviewBreakGlass(caller, request.pathParam(0)))));
    }

    private ApiResponse breakGlass(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = conversationId(request.pathParam(0));
        String reason = ApiRequest.text(request.jsonBody(), "reason");
        return ApiResponse.created(json(messaging.breakGlass(caller, id, reason)));
    }

    private ApiResponse activeGrant(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id = conversationId(request.pathParam(0));
        BreakGlassAccess access = messaging.activeBreakGlass(caller, id)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no break-glass access to this conversation"));
        return ApiResponse.ok(json(access));
    }

    private ApiResponse accessLog(ApiRequest request) {
        Caller caller = auth.caller(request);
        Long before = request.queryLong("before").orElse(null);
        Integer limit = request.queryLong("limit").map(ClinicalAccessApi::smallInt).orElse(null);
        AccessLogPage page = messaging.accessLog(caller, before, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", page.entries().stream().map(ClinicalAccessApi::entry).toList());
        out.put("nextBefore", page.nextBefore());
        return ApiResponse.ok(out);
    }

    private static Map<String, Object> json(BreakGlassAccess access) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("grant", grant(access.grant()));
        out.put("members", access.members().stream().map(ClinicalAccessApi::member).toList());
        return out;
    }

    private static Map<String, Object> grant(BreakGlassGrant grant) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", grant.id());
        g.put("conversationId", grant.conversationId().value());
        g.put("userId", grant.doctorId().value());
        g.put("reason", grant.reason());
        g.put("grantedAt", grant.grantedAt().toString());
        g.put("expiresAt", grant.expiresAt().toString());
        return g;
    }

    private static Map<String, Object> member(ConversationMember m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id().value());
        out.put("displayName", m.displayName());
        out.put("roles", roles(m.roles()));
        return out;
    }

    private static Map<String, Object> entry(AccessLogEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", e.sequence());
        out.put("at", e.at().toString());
        out.put("userId", e.userId().value());
        out.put("displayName", e.displayName());
        out.put("roles", roles(e.roles()));
        out.put("conversationId", e.conversationId() == null ? null : e.conversationId().value());
        out.put("access", e.access());
        out.put("ground", e.ground().wireName());
        return out;
    }

    private static List<String> roles(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().toList();
    }

    private static ConversationId conversationId(String text) {
        try {
            return ConversationId.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed conversation id");
        }
    }

    private static Integer smallInt(long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "limit is out of range");
        }
        return (int) value;
    }
}
