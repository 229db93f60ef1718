package io.carechat.examples.api;

import io.carechat.examples.http.ApiException;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.ChainVerification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail for admins: metadata only (the trail never holds a message body), its integrity
 * check, and a FHIR export. Thread-safe.
 */
public final class AuditApi {
    private static final int PAGE = 500;

    private final Messaging messaging;
    private final Authenticator auth;

    AuditApi(Messaging messaging, Authenticator auth) {
        this.messaging = messaging;
        this.auth = auth;
    }

    void register(Router router) {
        router.route("GET", "/api/admin/audit", this::query)
                .route("GET", "/api/admin/audit/verify", this::verify)
                .route("GET", "/api/admin/audit/export", this::export);
    }

    private ApiResponse query(ApiRequest request) {
        Caller admin = auth.caller(request);
        UserId actor = request.query("actor").map(AuditApi::userId).orElse(null);
        AuditQuery query = new AuditQuery(instant(request, "from"), instant(request, "to"), actor,
                request.query("action").orElse(null), request.queryLong("after").orElse(0L), PAGE);
        List<AuditRecord> records = messaging.auditEvents(admin, query);
        return ApiResponse.ok(Map.of("events", records.stream().map(AuditApi::json).toList()));
    }

    private ApiResponse verify(ApiRequest request) {
        ChainVerification result = messaging.verifyAudit(auth.caller(request));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", result.valid());
        out.put("checked", result.checked());
        out.put("firstBrokenAt", result.firstBrokenAt());
        out.put("reason", result.reason());
        out.put("segments", result.segments().stream().map(AuditApi::segment).toList());
        return ApiResponse.ok(out);
    }

    private ApiResponse export(ApiRequest request) {
        Caller admin = auth.caller(request);
        Instant from = instant(request, "from");
        Instant to = instant(request, "to");
        String bundle = messaging.exportAudit(admin, from == null ? Instant.EPOCH : from, to == null ? Instant.now() : to);
        return ApiResponse.bytes(bundle.getBytes(StandardCharsets.UTF_8), "application/fhir+json");
    }

    private static Map<String, Object> segment(ChainVerification.Segment segment) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", segment.label());
        out.put("keyed", segment.keyed());
        out.put("first", segment.first());
        out.put("last", segment.last());
        return out;
    }

    private static Map<String, Object> json(AuditRecord record) {
        AuditEvent e = record.event();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", record.sequence());
        out.put("time", e.time().toString());
        out.put("action", e.action());
        out.put("outcome", e.outcome().name());
        out.put("actorId", e.actorId() == null ? null : e.actorId().value());
        out.put("actorRoles", e.actorRoles().stream().map(Role::name).sorted().toList());
        out.put("clientAddress", e.clientAddress());
        out.put("clientId", e.clientId());
        out.put("objectType", e.objectType());
        out.put("objectId", e.objectId());
        out.put("patientId", e.patientId() == null ? null : e.patientId().value());
        out.put("requestId", e.requestId());
        out.put("reason", e.reason());
        out.put("count", e.count());
        out.put("hash", record.hash());
        return out;
    }

    private static Instant instant(ApiRequest request, String name) {
        return request.query(name).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "'" + name + "' must be an ISO-8601 instant such as "
                        + "2026-01-31T00:00:00Z");
            }
        }).orElse(null);
    }

    private static UserId userId(String text) {
        try {
            return UserId.of(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "'actor' is not a well-formed user id");
        }
    }
}
