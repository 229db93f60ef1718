package io.carechat.examples.api;

import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Turns domain values into the JSON objects the HTTP API answers with. Stateless. */
final class Json {
    private Json() {}

    /** A user as the API shows it: never a password hash. */
    static Map<String, Object> user(User user) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id().value());
        out.put("username", user.username());
        out.put("email", user.email());
        out.put("displayName", user.displayName());
        out.put("roles", user.roles().stream().map(Enum::name).sorted().toList());
        out.put("enabled", user.enabled());
        return out;
    }

    /** A role request, with the asker's names when known. */
    static Map<String, Object> roleRequest(RoleRequest request, Optional<User> asker) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", request.id().value());
        out.put("userId", request.userId().value());
        asker.ifPresent(u -> {
            out.put("username", u.username());
            out.put("displayName", u.displayName());
        });
        out.put("role", request.role().name());
        out.put("note", request.note());
        out.put("status", request.status().name());
        out.put("createdAt", request.createdAt().toString());
        return out;
    }
}
