package io.carechat.examples.spring;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.model.Caller;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's own API using CareChat: the signed-in user's unread message count, for a
 * badge in the hospital portal. The resource server has checked the token; CareChat checks it
 * again to name the caller with CareChat's roles and revocations. Stateless and thread-safe.
 */
@RestController
public class UnreadController {

    private final Messaging messaging;

    /** @param messaging the starter's facade */
    public UnreadController(Messaging messaging) {
        this.messaging = requireNonNull(messaging, "messaging");
    }

    /**
     * The caller's unread messages in all conversations.
     *
     * @param jwt the resource server's verified token
     * @return {@code {"unread": n}}
     */
    @GetMapping("/api/unread")
    public Map<String, Long> unread(@AuthenticationPrincipal Jwt jwt) {
        // --- README: the application's own API calls the Messaging bean ---
        Caller caller = messaging.tokens().verify(jwt.getTokenValue(), ClientContext.unknown());
        return Map.of("unread", messaging.unread(caller).total());
        // --- end README ---
    }
}
