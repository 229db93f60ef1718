package io.carechat.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.UserStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Urgent escalation over HTTP: admins read and set the on-call roster
 * ({@code GET} and {@code PUT /api/admin/on-call}, {@code {"userIds":[...]}}, answered with the ids
 * and the doctors' display names), and members read which messages of a conversation escalated
 * ({@code GET /api/conversations/{id}/escalations}, {@code {"seqs":[...]}}) to mark them.
 * Thread-safe; holds no state of its own.
 */
public final class EscalationApi {
    private final Messaging messaging;
    private final UserStore users;
    private final Authenticator auth;

    EscalationApi(Messaging messaging, UserStore users, Authenticator auth) {
        this.messaging = messaging;
        this.users = users;
        this.auth = auth;
    }

    void register(Router router) {
        router.route("GET", "/api/admin/on-call", this::roster)
                .route("PUT", "/api/admin/on-call", this::replaceRoster)
                .route("GET", "/api/conversations/{}/escalations", this::escalated);
    }

    private ApiResponse roster(ApiRequest request) {
        Caller caller = auth.caller(request);
        return ApiResponse.ok(json(messaging.onCall(caller)));
    }

    private ApiResponse replaceRoster(ApiRequest request) {
        Caller caller = auth.caller(request);
        List<UserId> ids = userIds(request.jsonBody().get("userIds"));
        return ApiResponse.ok(json(messaging.replaceOnCall(caller, ids)));
    }

    private ApiResponse escalated(ApiRequest request) {
        Caller caller = auth.caller(request);
        ConversationId id;
        try {
            id = ConversationId.of(request.pathParam(0));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed conversation id");
        }
        return ApiResponse.ok(Map.of("seqs", messaging.escalatedSeqs(caller, id)));
    }

    /** The roster's ids, and each doctor's id and display name, in roster order. */
    private Map<String, Object> json(List<UserId> roster) {
        Map<UserId, User> found = users.findAll(roster).stream()
                .collect(Collectors.toMap(User::id, Function.identity(), (a, b) -> a));
        List<Map<String, Object>> doctors = new ArrayList<>();
        for (UserId id : roster) {
            User user = found.get(id);
            Map<String, Object> doctor = new LinkedHashMap<>();
            doctor.put("id", id.value());
            doctor.put("displayName", user == null ? "" : user.displayName());
            doctors.add(doctor);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userIds", roster.stream().map(UserId::value).toList());
        out.put("doctors", doctors);
        return out;
    }

    private static List<UserId> userIds(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new BadRequestException("'userIds' is required and must be an array of user ids");
        }
        List<UserId> ids = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new BadRequestException("'userIds' must be an array of user ids");
            }
            try {
                ids.add(UserId.of(item.asText()));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("not a well-formed user id");
            }
        }
        return ids;
    }
}
