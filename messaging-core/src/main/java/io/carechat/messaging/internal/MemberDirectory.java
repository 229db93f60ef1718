package io.carechat.messaging.internal;

import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.ConversationOverview;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.UserStore;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Puts names and roles to conversation members: the stored accounts of every member of a list of
 * conversations, loaded with one {@link UserStore#findAll(Collection)}. Not API. Thread-safe.
 */
public final class MemberDirectory {
    private final UserStore users;

    /**
     * Creates the directory.
     *
     * @param users the user store
     */
    public MemberDirectory(UserStore users) {
        this.users = users;
    }

    /**
     * The summaries with their members' names and roles.
     *
     * @param summaries a user's conversations
     * @return one overview per summary, in the same order
     */
    public List<ConversationOverview> overviews(List<ConversationSummary> summaries) {
        Set<UserId> ids = new LinkedHashSet<>();
        summaries.forEach(s -> ids.addAll(s.conversation().memberIds()));
        Map<UserId, User> accounts = load(ids);
        return summaries.stream()
                .map(s -> new ConversationOverview(s, describe(s.members(), accounts)))
                .toList();
    }

    /**
     * Members' positions with their names and roles.
     *
     * @param states the members' positions
     * @return the members, in the same order
     */
    public List<ConversationMember> members(List<MemberState> states) {
        return describe(states, load(states.stream().map(MemberState::userId).toList()));
    }

    private Map<UserId, User> load(Collection<UserId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return users.findAll(ids).stream().collect(Collectors.toMap(User::id, Function.identity(), (a, b) -> a));
    }

    private static List<ConversationMember> describe(List<MemberState> states, Map<UserId, User> accounts) {
        return states.stream().map(state -> ConversationMember.of(state, accounts.get(state.userId()))).toList();
    }
}
