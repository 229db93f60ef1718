package io.carechat.messaging.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.FhirCommunicationExporter;
import io.carechat.messaging.error.TooLargeException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.MessageStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Exports conversations as a FHIR R4 Bundle of Communication resources
 * ({@link FhirCommunicationExporter}), as one pipeline per conversation: membership against the
 * store (a non-member gets "not found") -> audit ({@code message.export}, failing closed, before
 * anything is read) -> read every message in pages, recalled ones as tombstones -> open -> write.
 * An export holds at most a configured number of messages; a larger one is refused as too large
 * rather than cut short. Not API. Thread-safe; holds no state but its collaborators.
 */
public final class FhirExportService {
    private static final String ACTION = "message.export";
    private static final int PAGE = 500;

    private final MessageStore messages;
    private final MessageCipher cipher;
    private final Auditor auditor;
    private final UserRoles roles;
    private final FhirCommunicationExporter exporter;
    private final Clock clock;
    private final int maxMessages;

    /**
     * Creates the service.
     *
     * @param messages the message store
     * @param cipher opens the bodies
     * @param auditor checks membership and records each export
     * @param roles tells patients and practitioners apart
     * @param exporter writes the Bundle
     * @param clock stamps the Bundle
     * @param maxMessages the most messages one export holds, at least 1
     */
    public FhirExportService(MessageStore messages, MessageCipher cipher, Auditor auditor, UserRoles roles,
            FhirCommunicationExporter exporter, Clock clock, int maxMessages) {
        this.messages = requireNonNull(messages, "messages");
        this.cipher = requireNonNull(cipher, "cipher");
        this.auditor = requireNonNull(auditor, "auditor");
        this.roles = requireNonNull(roles, "roles");
        this.exporter = requireNonNull(exporter, "exporter");
        this.clock = requireNonNull(clock, "clock");
        this.maxMessages = maxMessages;
    }

    /**
     * Exports conversations of the caller's.
     *
     * @param caller a member of each
     * @param conversationIds the conversations, in the order they should appear
     * @return the Bundle as JSON
     * @throws io.carechat.messaging.error.NotFoundException if the caller is not a member of one
     * @throws TooLargeException if they hold more messages than one export may
     */
    public String export(Caller caller, List<ConversationId> conversationIds) {
        List<List<UserId>> members = new ArrayList<>();
        for (ConversationId id : conversationIds) {
            members.add(auditor.requireMemberIds(caller, id, ACTION));
        }
        for (ConversationId id : conversationIds) {
            auditor.access(caller, ACTION, id);
        }
        List<FhirCommunicationExporter.Conversation> exported = new ArrayList<>();
        int budget = maxMessages;
        for (int i = 0; i < conversationIds.size(); i++) {
            ConversationId id = conversationIds.get(i);
            List<UserId> memberIds = members.get(i);
            List<Message> all = readAll(caller, id, budget);
            budget -= all.size();
            exported.add(new FhirCommunicationExporter.Conversation(id, memberIds,
                    new HashSet<>(roles.holding(memberIds, Role.PATIENT)),
                    new HashSet<>(roles.holding(memberIds, Role.DOCTOR)), all));
        }
        return exporter.bundle(exported, clock.instant());
    }

    private List<Message> readAll(Caller caller, ConversationId id, int budget) {
        List<Message> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> page = messages.after(id, after, PAGE);
            if (page.isEmpty()) {
                return all;
            }
            if (all.size() + page.size() > budget) {
                throw new TooLargeException("the export would hold more than " + maxMessages + " messages");
            }
            all.addAll(cipher.open(caller, page));
            after = page.get(page.size() - 1).seq();
        }
    }
}
