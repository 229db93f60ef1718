package io.carechat.messaging.internal;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.EventBus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Care teams: creates group conversations and adds and removes their members. Every step is
 * authorize -> validate -> audit -> store -> forget the remembered members -> publish
 * {@link MembersChanged}. Who may create, add and remove is the {@link AccessPolicy}'s to say,
 * judged on stored accounts; a caller who is not a member of the group gets "not found". Not API.
 * Thread-safe; holds no state of its own.
 */
public final class CareTeamService {
    private static final Logger LOG = LoggerFactory.getLogger(CareTeamService.class);
    /** The fewest members a group is created with, besides its creator. */
    public static final int MIN_MEMBERS = 2;

    private final ConversationStore conversations;
    private final ActiveUsers users;
    private final AccessPolicy policy;
    private final Membership membership;
    private final MemberDirectory directory;
    private final UserRoles roles;
    private final EventBus bus;
    private final Clock clock;
    private final int maxMembers;
    private final Auditor auditor;

    /**
     * Creates the service.
     *
     * @param conversations the conversation store
     * @param users loads stored users
     * @param policy who may create groups and add and remove members
     * @param membership the membership check, told to forget a group whose members change
     * @param directory names the members for the {@code members} event
     * @param roles the members' stored roles, to keep a doctor in every group
     * @param bus where {@link MembersChanged} goes
     * @param clock the time source
     * @param maxMembers the most members a group has besides its creator
     * @param auditor records every creation and change, and every refusal
     */
    public CareTeamService(ConversationStore conversations, ActiveUsers users, AccessPolicy policy,
            Membership membership, MemberDirectory directory, UserRoles roles, EventBus bus, Clock clock,
            int maxMembers, Auditor auditor) {
        this.conversations = conversations;
        this.users = users;
        this.policy = policy;
        this.membership = membership;
        this.directory = directory;
        this.roles = roles;
        this.bus = bus;
        this.clock = clock;
        this.maxMembers = maxMembers;
        this.auditor = auditor;
    }

    /**
     * Creates a group with the caller as its first member.
     *
     * @param callerContext the creator
     * @param title the title
     * @param memberIds the other members
     * @return the group
     * @throws BadRequestException if the title or the member list breaks a rule
     * @throws ForbiddenException if the policy refuses the creator or a member
     * @throws NotFoundException if a member is not an enabled user
     */
    public Conversation create(Caller callerContext, String title, List<UserId> memberIds) {
        UserId callerId = callerContext.userId();
        String checkedTitle = checkTitle(title);
        checkMembers(callerId, memberIds);
        User caller = users.caller(callerId);
        if (!policy.mayCreateGroup(caller)) {
            auditor.refused(callerContext, "conversation.create", "user", callerId.value(), "forbidden");
            throw new ForbiddenException("not allowed to create a care team");
        }
        for (UserId memberId : memberIds) {
            User member = users.other(memberId);
            if (!policy.mayAddToGroup(caller, member)) {
                auditor.refused(callerContext, "conversation.create", "user", memberId.value(), "forbidden");
                throw new ForbiddenException("not allowed to add this user to a care team");
            }
        }
        List<UserId> all = new ArrayList<>(memberIds.size() + 1);
        all.add(callerId);
        all.addAll(memberIds);
        ConversationId id = ConversationId.random();
        auditor.record(auditor.accessEvent(callerContext, "conversation.create", id, all));
        for (UserId memberId : memberIds) {
            auditor.memberChange(callerContext, "conversation.member.add", id, memberId, all, "created");
        }
        Conversation group = conversations.createGroup(id, checkedTitle, all, clock.instant());
        LOG.debug("care team {} created by {} with {} members", group.id(), callerId, all.size());
        return group;
    }

    /**
     * Adds a member to a group, who sees the messages from then on.
     *
     * @param callerContext a member of the group
     * @param conversationId the group
     * @param userId the user to add
     * @return the group's members afterwards
     * @throws NotFoundException if the caller is not a member, or the user is not an enabled user
     * @throws BadRequestException if the conversation is a direct one
     * @throws ForbiddenException if the policy refuses
     * @throws ConflictException if the user is a member already, or the group is full
     */
    public List<ConversationMember> add(Caller callerContext, ConversationId conversationId, UserId userId) {
        UserId callerId = callerContext.userId();
        Conversation group = requireGroup(callerContext, conversationId, "conversation.member.add");
        User caller = users.caller(callerId);
        User candidate = users.other(userId);
        if (callerId.equals(userId) || !policy.mayAddToGroup(caller, candidate)) {
            auditor.refused(callerContext, "conversation.member.add", "user", userId.value(), "forbidden");
            throw new ForbiddenException("not allowed to add this user to the care team");
        }
        if (group.hasMember(userId)) {
            throw new ConflictException("already a member");
        }
        if (group.memberIds().size() > maxMembers) {
            throw new ConflictException("a care team has at most " + maxMembers + " members besides its creator");
        }
        List<UserId> involved = new ArrayList<>(group.memberIds());
        involved.add(userId);
        auditor.memberChange(callerContext, "conversation.member.add", conversationId, userId, involved, null);
        MemberState joined = conversations.addMember(conversationId, userId, clock.instant());
        LOG.debug("{} added {} to care team {} at seq {}", callerId, userId, conversationId, joined.joinedSeq());
        return changed(conversationId, userId, MembersChanged.Change.ADDED);
    }

    /**
     * Removes a member from a group; they lose access at once. A group keeps at least one doctor.
     *
     * @param callerContext a member of the group
     * @param conversationId the group
     * @param userId the member to remove, the caller themselves to leave
     * @return the group's members afterwards
     * @throws NotFoundException if the caller or the user is not a member
     * @throws BadRequestException if the conversation is a direct one
     * @throws ForbiddenException if the policy refuses
     * @throws ConflictException if the member is the group's last doctor
     */
    public List<ConversationMember> remove(Caller callerContext, ConversationId conversationId, UserId userId) {
        UserId callerId = callerContext.userId();
        Conversation group = requireGroup(callerContext, conversationId, "conversation.member.remove");
        if (!group.hasMember(userId)) {
            throw new NotFoundException("not a member");
        }
        User caller = users.caller(callerId);
        if (!policy.mayRemoveFromGroup(caller, userId)) {
            auditor.refused(callerContext, "conversation.member.remove", "user", userId.value(), "forbidden");
            throw new ForbiddenException("not allowed to remove members from the care team");
        }
        List<UserId> remaining = group.memberIds().stream().filter(m -> !m.equals(userId)).toList();
        if (roles.holding(remaining, Role.DOCTOR).isEmpty()) {
            throw new ConflictException("a care team keeps at least one doctor");
        }
        auditor.memberChange(callerContext, "conversation.member.remove", conversationId, userId,
                group.memberIds(), null);
        if (!conversations.removeMember(conversationId, userId, clock.instant())) {
            throw new NotFoundException("not a member");
        }
        LOG.debug("{} removed {} from care team {}", callerId, userId, conversationId);
        return changed(conversationId, userId, MembersChanged.Change.REMOVED);
    }

    /** Forgets the group's remembered members on this node and tells every node and member. */
    private List<ConversationMember> changed(ConversationId conversationId, UserId userId,
            MembersChanged.Change change) {
        membership.forget(conversationId);
        List<ConversationMember> members = directory.members(conversations.members(conversationId));
        bus.publish(new MembersChanged(conversationId, userId, change, members));
        return members;
    }

    /** The group, for a caller who must be one of its members (checked against the store). */
    private Conversation requireGroup(Caller caller, ConversationId conversationId, String action) {
        Conversation conversation = conversations.find(conversationId)
                .filter(c -> c.hasMember(caller.userId()))
                .orElseThrow(() -> {
                    auditor.denied(caller, conversationId, action);
                    return NotFoundException.conversation();
                });
        if (conversation.kind() != ConversationKind.GROUP) {
            throw new BadRequestException("members are added to and removed from care teams only");
        }
        return conversation;
    }

    private static String checkTitle(String title) {
        String trimmed = title.strip();
        if (trimmed.isEmpty() || trimmed.length() > Conversation.MAX_TITLE_CHARS) {
            throw new BadRequestException("title must be 1 to " + Conversation.MAX_TITLE_CHARS + " characters");
        }
        return trimmed;
    }

    private void checkMembers(UserId callerId, List<UserId> memberIds) {
        if (memberIds.size() < MIN_MEMBERS || memberIds.size() > maxMembers) {
            throw new BadRequestException("members must name " + MIN_MEMBERS + " to " + maxMembers
                    + " users besides the caller");
        }
        Set<UserId> seen = new HashSet<>();
        for (UserId memberId : memberIds) {
            if (memberId.equals(callerId)) {
                throw new BadRequestException("members must not name the caller");
            }
            if (!seen.add(memberId)) {
                throw new BadRequestException("members must be distinct");
            }
        }
    }
}
