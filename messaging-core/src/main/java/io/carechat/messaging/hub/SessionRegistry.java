package io.carechat.messaging.hub;

import io.carechat.messaging.model.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The authenticated sessions of this hub, by user. Thread-safe: every method holds the registry's
 * lock briefly and returns snapshots, so callers never iterate shared state.
 */
final class SessionRegistry {
    /** What removing a session did. */
    enum Removal {
        /** The session was not registered. */
        ABSENT,
        /** The user still has other sessions. */
        OTHERS_REMAIN,
        /** That was the user's last session. */
        LAST
    }

    private final Map<UserId, Set<LiveSession>> byUser = new HashMap<>();

    /**
     * Registers an authenticated session unless it is closed or its user is at the cap.
     *
     * @return the user's session count with it, or 0 if refused for the cap, or -1 if closed
     */
    synchronized int add(UserId user, LiveSession session, int maxPerUser) {
        if (session.isClosed()) {
            return -1;
        }
        Set<LiveSession> sessions = byUser.computeIfAbsent(user, u -> new LinkedHashSet<>());
        if (sessions.size() >= maxPerUser) {
            return 0;
        }
        sessions.add(session);
        return sessions.size();
    }

    synchronized Removal remove(UserId user, LiveSession session) {
        Set<LiveSession> sessions = byUser.get(user);
        if (sessions == null || !sessions.remove(session)) {
            return Removal.ABSENT;
        }
        if (sessions.isEmpty()) {
            byUser.remove(user);
            return Removal.LAST;
        }
        return Removal.OTHERS_REMAIN;
    }

    synchronized List<LiveSession> sessionsOf(UserId user) {
        Set<LiveSession> sessions = byUser.get(user);
        return sessions == null ? List.of() : List.copyOf(sessions);
    }

    synchronized boolean isOnline(UserId user) {
        return byUser.containsKey(user);
    }

    synchronized int count() {
        int count = 0;
        for (Set<LiveSession> sessions : byUser.values()) {
            count += sessions.size();
        }
        return count;
    }

    synchronized List<LiveSession> all() {
        List<LiveSession> all = new ArrayList<>();
        byUser.values().forEach(all::addAll);
        return all;
    }
}
