package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.MembershipPeriod;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.ChainVerification;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.spi.ReceiptUpdate;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.StoredCredentials;
import io.carechat.messaging.spi.StoredRefreshToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link MessagingStorage}: every rule of the storage SPIs as a test. An
 * adapter subclasses it, returns a fresh, empty storage from {@link #createStorage()} and, if it
 * holds resources, releases them in {@link #disposeStorage(MessagingStorage)}. The audited sends
 * hand the storage's own {@link MessagingStorage#auditTrail()} to
 * {@link MessageStore#append(NewMessage, AuditEvent, AuditSink)}, so the kit checks that a send and
 * its event are kept together where they share a transaction. Every fixture
 * (users, conversations, messages) is made through the SPIs, in the order a database with foreign
 * keys needs: users first. Time stamps are whole seconds, so stores that keep only micro- or
 * milliseconds compare equal.
 *
 * <p>Not thread-safe itself (JUnit makes one instance per test); the concurrency tests start their
 * own threads and wait for them, bounded in time.
 */
@DisplayName("MessagingStorage contract")
public abstract class MessagingStorageContract {

    /** The instant fixtures count from. */
    protected static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

    /** The storage under test, fresh for each test. */
    protected MessagingStorage storage;

    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * Makes a fresh, empty storage. Called once before each test.
     *
     * @return the storage under test
     */
    protected abstract MessagingStorage createStorage();

    /**
     * Releases what {@link #createStorage()} made. Called after each test; the default does
     * nothing.
     *
     * @param storage the storage the test used
     */
    protected void disposeStorage(MessagingStorage storage) {}

    @BeforeEach
    void createFreshStorage() {
        storage = createStorage();
    }

    @AfterEach
    void disposeFreshStorage() {
        disposeStorage(storage);
    }

    @Test
    @DisplayName("every store is there, the compliance stores included, and each accessor returns the same one every time")
    void everyStoreIsThereAndStable() {
        List<Object> first = stores();
        List<Object> second = stores();
        assertThat(first).doesNotContainNull();
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("store %d", i).isSameAs(first.get(i));
        }
    }

    private List<Object> stores() {
        return Arrays.asList(storage.users(), storage.conversations(), storage.messages(), storage.receipts(),
                storage.roleRequests(), storage.refreshTokens(), storage.attachments(), storage.messageBodies(),
                storage.legalHolds(), storage.auditTrail(), storage.breakGlass());
    }

    // ---- fixtures ----

    /**
     * A user that is not stored yet, with a fresh id, an e-mail address made from the username,
     * the username as display name, and enabled.
     *
     * @param username the username
     * @param roles the roles, at least one
     * @return the user
     */
    protected static User unsavedUser(String username, Role... roles) {
        return new User(UserId.random(), username, username + "@example.org", username,
                Set.of(roles), true, T0);
    }

    /**
     * Stores a new enabled user with a unique username.
     *
     * @param roles the roles, at least one
     * @return the stored user
     */
    protected User givenUser(Role... roles) {
        return storage.users().create(unsavedUser("user" + sequence.incrementAndGet(), roles), "hash");
    }

    /**
     * Stores {@code count} new patients.
     *
     * @param count how many
     * @return their ids, in creation order
     */
    protected List<UserId> givenPatients(int count) {
        List<UserId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(givenUser(Role.PATIENT).id());
        }
        return ids;
    }

    /**
     * Opens a direct conversation between a new doctor and a new patient, at {@link #T0}.
     *
     * @return the conversation; its first member is the doctor
     */
    protected Conversation givenDirect() {
        UserId doctor = givenUser(Role.DOCTOR).id();
        UserId patient = givenUser(Role.PATIENT).id();
        return storage.conversations().openDirect(ConversationId.random(), doctor, patient, T0);
    }

    /**
     * Creates a group conversation at {@link #T0}.
     *
     * @param members its members
     * @return the conversation
     */
    protected Conversation givenGroup(List<UserId> members) {
        return storage.conversations().createGroup(ConversationId.random(), members, T0);
    }

    /**
     * Appends a normal message whose body is made from the key, sent a few seconds after
     * {@link #T0}.
     *
     * @param conversation the conversation
     * @param sender the sender
     * @param clientMsgId the sender's key
     * @return what the store did
     */
    protected AppendResult append(Conversation conversation, UserId sender, String clientMsgId) {
        return storage.messages().append(newMessage(
                conversation.id(), sender, clientMsgId, "body of " + clientMsgId,
                T0.plusSeconds(sequence.incrementAndGet())));
    }

    /**
     * A message ready to append.
     *
     * @param conversationId the conversation
     * @param sender the sender
     * @param clientMsgId the sender's key
     * @param body the text
     * @param sentAt the time
     * @return the message
     */
    protected static NewMessage newMessage(
            ConversationId conversationId, UserId sender, String clientMsgId, String body, Instant sentAt) {
        return new NewMessage(MessageId.random(), conversationId, sender, clientMsgId, body,
                Priority.NORMAL, List.of(), sentAt);
    }

    /**
     * Appends {@code count} messages, keys {@code m1, m2, ...}, alternating between the first two
     * members starting with the first.
     *
     * @param conversation the conversation
     * @param count how many
     * @return the stored messages
     */
    protected List<Message> appendAlternating(Conversation conversation, int count) {
        List<Message> stored = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            UserId sender = conversation.memberIds().get((i - 1) % 2);
            stored.add(append(conversation, sender, "m" + i).message());
        }
        return stored;
    }

    private MemberState memberState(Conversation conversation, UserId userId) {
        return storage.conversations().member(conversation.id(), userId).orElseThrow();
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    // ---- users ----

    /** The user store's rules. */
    @Nested
    @DisplayName("users")
    public class Users {

        @Test
        @DisplayName("a created user is found by id exactly as it was stored")
        void createdUserIsFound() {
            User created = storage.users().create(unsavedUser("alice", Role.PATIENT, Role.DOCTOR), "h1");
            assertThat(storage.users().find(created.id())).contains(created);
            assertThat(storage.users().find(UserId.random())).isEmpty();
        }

        @Test
        @DisplayName("a 255-character user id shaped like an Auth0 subject is stored and read back, as member and sender too")
        void longExternalSubjectIsStoredWhole() {
            String prefix = "auth0|5f7c8ec7c33c6c004bbafe82";
            UserId longId = UserId.of(prefix + "x".repeat(UserId.MAX_LENGTH - prefix.length()));
            User created = storage.users().create(new User(longId, "external1", "external1@example.org", "external1",
                    Set.of(Role.PATIENT), true, T0), "hash");
            assertThat(storage.users().find(longId)).contains(created);
            assertThat(storage.users().find(longId).orElseThrow().id().value()).hasSize(UserId.MAX_LENGTH);
            UserId doctor = givenUser(Role.DOCTOR).id();
            Conversation direct = storage.conversations().openDirect(ConversationId.random(), doctor, longId, T0);
            assertThat(storage.conversations().openDirect(ConversationId.random(), longId, doctor, T0).id())
                    .isEqualTo(direct.id());
            assertThat(storage.conversations().member(direct.id(), longId)).isPresent();
            Message sent = append(direct, longId, "long-id-1").message();
            assertThat(sent.senderId()).isEqualTo(longId);
            assertThat(storage.conversations().listFor(longId, 10)).hasSize(1);
        }

        @Test
        @DisplayName("findAll returns the users found and leaves out unknown ids")
        void findAllLeavesOutUnknownIds() {
            User a = givenUser(Role.PATIENT);
            User b = givenUser(Role.DOCTOR);
            assertThat(storage.users().findAll(List.of(a.id(), UserId.random(), b.id())))
                    .containsExactlyInAnyOrder(a, b);
        }

        @Test
        @DisplayName("a username taken in another case is a conflict that names the username but not the value")
        void usernameIsUniqueWithoutRegardToCase() {
            storage.users().create(unsavedUser("Alice", Role.PATIENT), "h");
            User clash = new User(UserId.random(), "aLICE", "other@example.org", "Other",
                    Set.of(Role.PATIENT), true, T0);
            assertThatThrownBy(() -> storage.users().create(clash, "h"))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("username")
                    .hasMessageNotContaining("aLICE");
            assertThat(storage.users().count()).isEqualTo(1);
        }

        @Test
        @DisplayName("an e-mail address taken in another case is a conflict that names the e-mail but not the value")
        void emailIsUniqueWithoutRegardToCase() {
            storage.users().create(new User(UserId.random(), "bob", "Bob@Example.org", "Bob",
                    Set.of(Role.PATIENT), true, T0), "h");
            User clash = new User(UserId.random(), "robert", "bob@example.ORG", "Robert",
                    Set.of(Role.PATIENT), true, T0);
            assertThatThrownBy(() -> storage.users().create(clash, "h"))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("email")
                    .hasMessageNotContaining("bob@example.ORG");
            assertThat(storage.users().count()).isEqualTo(1);
        }

        @Test
        @DisplayName("findCredentials finds a user by username or e-mail address in any case, with the stored hash")
        void findCredentialsByEitherLoginInAnyCase() {
            User carol = storage.users().create(new User(UserId.random(), "Carol", "Carol@Example.org",
                    "Carol", Set.of(Role.DOCTOR), true, T0), "hash-of-carol");
            for (String login : List.of("Carol", "carol", "CAROL", "carol@example.org", "CAROL@EXAMPLE.ORG")) {
                StoredCredentials found = storage.users().findCredentials(login).orElseThrow();
                assertThat(found.user()).as(login).isEqualTo(carol);
                assertThat(found.passwordHash()).as(login).isEqualTo("hash-of-carol");
            }
            assertThat(storage.users().findCredentials("nobody")).isEmpty();
        }

        @Test
        @DisplayName("setPasswordHash replaces the stored hash; an unknown user is not found")
        void setPasswordHashReplaces() {
            User dave = storage.users().create(unsavedUser("dave", Role.PATIENT), "old");
            storage.users().setPasswordHash(dave.id(), "new");
            assertThat(storage.users().findCredentials("dave").orElseThrow().passwordHash()).isEqualTo("new");
            assertThatThrownBy(() -> storage.users().setPasswordHash(UserId.random(), "x"))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("setRoles replaces the roles and is seen by find; an unknown user is not found")
        void setRolesReplaces() {
            User erin = givenUser(Role.PATIENT);
            User changed = storage.users().setRoles(erin.id(), Set.of(Role.DOCTOR, Role.ADMIN));
            assertThat(changed.roles()).containsExactlyInAnyOrder(Role.DOCTOR, Role.ADMIN);
            assertThat(storage.users().find(erin.id()).orElseThrow().roles())
                    .containsExactlyInAnyOrder(Role.DOCTOR, Role.ADMIN);
            assertThatThrownBy(() -> storage.users().setRoles(UserId.random(), Set.of(Role.PATIENT)))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("updateProfile replaces username, e-mail and display name, keeps the rest, and frees the old logins")
        void updateProfileReplacesLoginsAndName() {
            User henry = storage.users().create(unsavedUser("henry", Role.DOCTOR), "hash-of-henry");
            storage.users().setEnabled(henry.id(), false);
            User changed = storage.users().updateProfile(henry.id(), "Hank", "Hank@Example.org", "Dr Hank");
            assertThat(changed).isEqualTo(new User(henry.id(), "Hank", "Hank@Example.org", "Dr Hank",
                    henry.roles(), false, henry.createdAt()));
            assertThat(storage.users().find(henry.id())).contains(changed);
            StoredCredentials byNewName = storage.users().findCredentials("hank").orElseThrow();
            assertThat(byNewName.user()).isEqualTo(changed);
            assertThat(byNewName.passwordHash()).isEqualTo("hash-of-henry");
            assertThat(storage.users().findCredentials("hank@example.org")).isPresent();
            assertThat(storage.users().findCredentials("henry")).isEmpty();
            assertThat(storage.users().findCredentials(henry.email())).isEmpty();
            storage.users().create(unsavedUser("henry", Role.PATIENT), "h");
        }

        @Test
        @DisplayName("updateProfile may change only the case of the user's own logins")
        void updateProfileKeepsOwnLoginsInAnotherCase() {
            User iris = storage.users().create(unsavedUser("iris", Role.PATIENT), "h");
            User changed = storage.users().updateProfile(iris.id(), "IRIS", iris.email().toUpperCase(Locale.ROOT),
                    "Iris");
            assertThat(changed.username()).isEqualTo("IRIS");
            assertThat(storage.users().findCredentials("iris").orElseThrow().user()).isEqualTo(changed);
        }

        @Test
        @DisplayName("updateProfile refuses another user's username or e-mail in any case, changing nothing; an unknown user is not found")
        void updateProfileRefusesTakenLogins() {
            User jack = storage.users().create(unsavedUser("jack", Role.PATIENT), "h");
            User kate = storage.users().create(unsavedUser("kate", Role.PATIENT), "h");
            assertThatThrownBy(() -> storage.users().updateProfile(jack.id(), "KATE", "jack2@example.org", "J"))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("username")
                    .hasMessageNotContaining("KATE");
            assertThatThrownBy(() -> storage.users().updateProfile(jack.id(), "jack2",
                            kate.email().toUpperCase(Locale.ROOT), "J"))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("email")
                    .hasMessageNotContaining(kate.email().toUpperCase(Locale.ROOT));
            assertThat(storage.users().find(jack.id())).contains(jack);
            assertThat(storage.users().findCredentials("jack")).isPresent();
            assertThatThrownBy(() -> storage.users().updateProfile(UserId.random(), "nobody", "n@example.org", "N"))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("setEnabled disables and enables an account; an unknown user is not found")
        void setEnabledToggles() {
            User frank = givenUser(Role.PATIENT);
            assertThat(storage.users().setEnabled(frank.id(), false).enabled()).isFalse();
            assertThat(storage.users().find(frank.id()).orElseThrow().enabled()).isFalse();
            assertThat(storage.users().setEnabled(frank.id(), true).enabled()).isTrue();
            assertThat(storage.users().find(frank.id()).orElseThrow().enabled()).isTrue();
            assertThatThrownBy(() -> storage.users().setEnabled(UserId.random(), false))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("revokeTokensIssuedBefore sets the user's valid-after instant, moves it only forward, and an unknown user is not found")
        void validAfterMovesForwardOnly() {
            User grace = givenUser(Role.DOCTOR);
            User other = givenUser(Role.PATIENT);
            assertThat(storage.users().tokensValidAfter(grace.id())).isEmpty();
            Instant later = T0.plusSeconds(60).plusMillis(250);
            assertThat(storage.users().revokeTokensIssuedBefore(grace.id(), later)).isEqualTo(later);
            assertThat(storage.users().revokeTokensIssuedBefore(grace.id(), T0)).as("never moves back").isEqualTo(later);
            assertThat(storage.users().tokensValidAfter(grace.id())).hasValue(later);
            assertThat(storage.users().tokensValidAfter(other.id())).isEmpty();
            assertThat(storage.users().tokensValidAfter(UserId.random())).isEmpty();
            assertThatThrownBy(() -> storage.users().revokeTokensIssuedBefore(UserId.random(), later))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("findEnabledWithAnyRole lists enabled holders of any given role, by display name then username, up to the limit")
        void findEnabledWithAnyRoleFiltersAndOrders() {
            storage.users().create(named("doc-b2", "Bravo", Role.DOCTOR), "h");
            storage.users().create(named("pat-c", "Charlie", Role.PATIENT), "h");
            storage.users().create(named("doc-a", "Alpha", Role.DOCTOR), "h");
            storage.users().create(named("doc-b1", "Bravo", Role.DOCTOR), "h");
            User aaron = storage.users().create(named("doc-aaron", "Aaron", Role.DOCTOR), "h");
            storage.users().setEnabled(aaron.id(), false);

            assertThat(storage.users().findEnabledWithAnyRole(Set.of(Role.DOCTOR), 10))
                    .extracting(User::username).containsExactly("doc-a", "doc-b1", "doc-b2");
            assertThat(storage.users().findEnabledWithAnyRole(Set.of(Role.DOCTOR, Role.PATIENT), 10))
                    .extracting(User::username).containsExactly("doc-a", "doc-b1", "doc-b2", "pat-c");
            assertThat(storage.users().findEnabledWithAnyRole(Set.of(Role.DOCTOR), 2))
                    .extracting(User::username).containsExactly("doc-a", "doc-b1");
            assertThat(storage.users().findEnabledWithAnyRole(Set.of(Role.ADMIN), 10)).isEmpty();
        }

        private User named(String username, String displayName, Role role) {
            return new User(UserId.random(), username, username + "@example.org", displayName,
                    Set.of(role), true, T0);
        }

        @Test
        @DisplayName("list pages through all users in order of lower-case username")
        void listPagesByLowerCaseUsername() {
            for (String name : List.of("delta", "Bravo", "alpha", "Charlie", "echo")) {
                storage.users().create(unsavedUser(name, Role.PATIENT), "h");
            }
            storage.users().setEnabled(storage.users().findCredentials("echo").orElseThrow().user().id(), false);
            assertThat(storage.users().list(null, 2)).extracting(User::username).containsExactly("alpha", "Bravo");
            assertThat(storage.users().list("bravo", 2)).extracting(User::username).containsExactly("Charlie", "delta");
            assertThat(storage.users().list("DELTA", 2)).extracting(User::username).containsExactly("echo");
            assertThat(storage.users().list("echo", 2)).isEmpty();
        }

        @Test
        @DisplayName("count counts every stored user, disabled ones included")
        void countCountsUsers() {
            assertThat(storage.users().count()).isZero();
            givenUser(Role.PATIENT);
            User disabled = givenUser(Role.DOCTOR);
            storage.users().setEnabled(disabled.id(), false);
            assertThat(storage.users().count()).isEqualTo(2);
        }
    }

    // ---- conversations ----

    /** The conversation store's rules. */
    @Nested
    @DisplayName("conversations")
    public class Conversations {

        @Test
        @DisplayName("openDirect returns the same conversation for a pair in either order")
        void openDirectIsOnePerPair() {
            UserId a = givenUser(Role.DOCTOR).id();
            UserId b = givenUser(Role.PATIENT).id();
            Conversation first = storage.conversations().openDirect(ConversationId.random(), a, b, T0);
            Conversation again = storage.conversations().openDirect(ConversationId.random(), b, a, T0.plusSeconds(5));
            assertThat(again).isEqualTo(first);
            assertThat(first.kind()).isEqualTo(ConversationKind.DIRECT);
            assertThat(first.memberIds()).containsExactlyInAnyOrder(a, b);
            assertThat(first.createdAt()).isEqualTo(T0);
            assertThat(storage.conversations().find(first.id())).contains(first);
        }

        @Test
        @DisplayName("openDirect called from 16 threads at once, in both orders, creates one conversation")
        void openDirectIsAtomicUnderConcurrency() {
            UserId a = givenUser(Role.DOCTOR).id();
            UserId b = givenUser(Role.PATIENT).id();
            List<ConversationId> ids = Concurrently.run(16, i -> () -> (i % 2 == 0
                    ? storage.conversations().openDirect(ConversationId.random(), a, b, T0)
                    : storage.conversations().openDirect(ConversationId.random(), b, a, T0)).id());
            assertThat(new HashSet<>(ids)).hasSize(1);
            assertThat(storage.conversations().listFor(a, 10)).hasSize(1);
            assertThat(storage.conversations().listFor(b, 10)).hasSize(1);
        }

        @Test
        @DisplayName("ids with colons or bars never make two pairs share a direct conversation: (f:g, h) and (f, g:h) differ")
        void separatorsInIdsKeepPairsApart() {
            List<UserId> ids = new ArrayList<>();
            for (String id : List.of("f:g", "h", "f", "g:h", "auth0|a", "b", "auth0", "a|b", "f\\", ":g")) {
                ids.add(storage.users().create(new User(UserId.of(id), "u" + sequence.incrementAndGet(),
                        "u" + sequence.get() + "@example.org", "U", Set.of(Role.PATIENT), true, T0), "hash").id());
            }
            Set<ConversationId> opened = new HashSet<>();
            for (int i = 0; i < ids.size(); i += 2) {
                opened.add(storage.conversations().openDirect(ConversationId.random(), ids.get(i), ids.get(i + 1), T0).id());
            }
            assertThat(opened).hasSize(ids.size() / 2);
        }

        @Test
        @DisplayName("a different pair gets a different direct conversation")
        void otherPairOtherConversation() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            UserId p1 = givenUser(Role.PATIENT).id();
            UserId p2 = givenUser(Role.PATIENT).id();
            Conversation c1 = storage.conversations().openDirect(ConversationId.random(), doctor, p1, T0);
            Conversation c2 = storage.conversations().openDirect(ConversationId.random(), doctor, p2, T0);
            assertThat(c1.id()).isNotEqualTo(c2.id());
        }

        @Test
        @DisplayName("every member of a new conversation starts at delivered 0, read 0 and unread 0")
        void membersStartAtZero() {
            Conversation c = givenDirect();
            for (UserId member : c.memberIds()) {
                assertThat(storage.conversations().member(c.id(), member))
                        .contains(new MemberState(c.id(), member, 0, 0, 0));
            }
            assertThat(storage.conversations().members(c.id()))
                    .extracting(MemberState::userId).containsExactlyInAnyOrderElementsOf(c.memberIds());
        }

        @Test
        @DisplayName("member is empty for a non-member and for an unknown conversation: that is the membership check")
        void memberIsTheMembershipCheck() {
            Conversation c = givenDirect();
            UserId stranger = givenUser(Role.DOCTOR).id();
            assertThat(storage.conversations().member(c.id(), stranger)).isEmpty();
            assertThat(storage.conversations().member(ConversationId.random(), c.memberIds().get(0))).isEmpty();
        }

        @Test
        @DisplayName("a group keeps every member in join order")
        void groupKeepsMembers() {
            List<UserId> members = List.of(givenUser(Role.DOCTOR).id(), givenUser(Role.DOCTOR).id(),
                    givenUser(Role.PATIENT).id());
            Conversation group = givenGroup(members);
            assertThat(group.kind()).isEqualTo(ConversationKind.GROUP);
            assertThat(storage.conversations().find(group.id()).orElseThrow().memberIds())
                    .containsExactlyElementsOf(members);
            assertThat(storage.conversations().members(group.id())).hasSize(3);
        }

        @Test
        @DisplayName("an unknown conversation is not found and has no members")
        void unknownConversation() {
            ConversationId unknown = ConversationId.random();
            assertThat(storage.conversations().find(unknown)).isEmpty();
            assertThat(storage.conversations().members(unknown)).isEmpty();
        }

        @Test
        @DisplayName("listFor lists only the user's conversations, newest activity first, up to the limit")
        void listForOrdersByActivity() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            List<UserId> patients = givenPatients(4);
            Conversation oldest = storage.conversations().openDirect(ConversationId.random(), doctor, patients.get(0), T0.plusSeconds(1));
            Conversation middle = storage.conversations().openDirect(ConversationId.random(), doctor, patients.get(1), T0.plusSeconds(2));
            Conversation newest = storage.conversations().openDirect(ConversationId.random(), doctor, patients.get(2), T0.plusSeconds(3));
            storage.conversations().openDirect(ConversationId.random(), patients.get(3), givenUser(Role.DOCTOR).id(), T0.plusSeconds(4));
            storage.messages().append(newMessage(oldest.id(), patients.get(0), "k", "hello", T0.plusSeconds(100)));

            assertThat(storage.conversations().listFor(doctor, 10))
                    .extracting(s -> s.conversation().id())
                    .containsExactly(oldest.id(), newest.id(), middle.id());
            assertThat(storage.conversations().listFor(doctor, 2))
                    .extracting(s -> s.conversation().id())
                    .containsExactly(oldest.id(), newest.id());
            assertThat(storage.conversations().listFor(givenUser(Role.PATIENT).id(), 10)).isEmpty();
        }

        @Test
        @DisplayName("a summary carries the last seq, the last message time and the member's own position")
        void summaryCarriesState() {
            Conversation c = givenDirect();
            UserId doctor = c.memberIds().get(0);
            UserId patient = c.memberIds().get(1);
            ConversationSummary empty = storage.conversations().listFor(patient, 10).get(0);
            assertThat(empty.lastSeq()).isZero();
            assertThat(empty.lastMessageAt()).isNull();
            assertThat(empty.lastActivityAt()).isEqualTo(T0);

            storage.messages().append(newMessage(c.id(), doctor, "a", "one", T0.plusSeconds(10)));
            storage.messages().append(newMessage(c.id(), doctor, "b", "two", T0.plusSeconds(20)));
            storage.receipts().markRead(c.id(), patient, 1);
            ConversationSummary summary = storage.conversations().listFor(patient, 10).get(0);
            assertThat(summary.conversation()).isEqualTo(c);
            assertThat(summary.lastSeq()).isEqualTo(2);
            assertThat(summary.lastMessageAt()).isEqualTo(T0.plusSeconds(20));
            assertThat(summary.self()).isEqualTo(new MemberState(c.id(), patient, 1, 1, 1));
        }

        @Test
        @DisplayName("a summary carries every member's delivered and read position, in member order")
        void summaryCarriesEveryMember() {
            Conversation c = givenDirect();
            UserId doctor = c.memberIds().get(0);
            UserId patient = c.memberIds().get(1);
            appendAlternating(c, 4);
            storage.receipts().markDelivered(c.id(), doctor, 3);
            storage.receipts().markRead(c.id(), doctor, 2);
            storage.receipts().markRead(c.id(), patient, 4);

            List<MemberState> expected = List.of(
                    new MemberState(c.id(), doctor, 3, 2, 1), new MemberState(c.id(), patient, 4, 4, 0));
            assertThat(storage.conversations().listFor(patient, 10).get(0).members()).isEqualTo(expected);
            assertThat(storage.conversations().listFor(doctor, 10).get(0).members()).isEqualTo(expected);
        }

        @Test
        @DisplayName("in a list of several conversations each summary carries its own members, groups in join order")
        void summariesCarryTheirOwnMembers() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            List<UserId> patients = givenPatients(3);
            Conversation direct = storage.conversations().openDirect(ConversationId.random(), doctor, patients.get(0), T0);
            Conversation group = storage.conversations().createGroup(ConversationId.random(),
                    List.of(patients.get(2), doctor, patients.get(1)), T0.plusSeconds(1));
            storage.messages().append(newMessage(group.id(), patients.get(1), "g1", "hi", T0.plusSeconds(5)));
            storage.receipts().markRead(group.id(), patients.get(2), 1);

            Map<ConversationId, List<MemberState>> members = new HashMap<>();
            storage.conversations().listFor(doctor, 10).forEach(s -> members.put(s.conversation().id(), s.members()));
            assertThat(members).containsOnlyKeys(direct.id(), group.id());
            assertThat(members.get(direct.id())).extracting(MemberState::userId).containsExactly(doctor, patients.get(0));
            assertThat(members.get(group.id())).containsExactly(
                    new MemberState(group.id(), patients.get(2), 1, 1, 0),
                    new MemberState(group.id(), doctor, 0, 0, 1),
                    new MemberState(group.id(), patients.get(1), 0, 0, 0));
        }
    }

    // ---- messages ----

    /** The message store's rules. */
    @Nested
    @DisplayName("messages")
    public class Messages {

        @Test
        @DisplayName("the first message of a conversation gets seq 1 and is stored exactly as sent")
        void firstMessageIsSeqOne() {
            Conversation c = givenDirect();
            NewMessage sent = new NewMessage(MessageId.random(), c.id(), c.memberIds().get(0), "key-1",
                    "Take 5 mg twice a day", Priority.URGENT, List.of(), T0.plusSeconds(7));
            AppendResult result = storage.messages().append(sent);
            assertThat(result.created()).isTrue();
            Message stored = result.message();
            assertThat(stored.seq()).isEqualTo(1);
            assertThat(stored.id()).isEqualTo(sent.id());
            assertThat(stored.conversationId()).isEqualTo(c.id());
            assertThat(stored.senderId()).isEqualTo(sent.senderId());
            assertThat(stored.body()).isEqualTo("Take 5 mg twice a day");
            assertThat(stored.priority()).isEqualTo(Priority.URGENT);
            assertThat(stored.sentAt()).isEqualTo(T0.plusSeconds(7));
            assertThat(stored.clientMsgId()).isEqualTo("key-1");
            assertThat(stored.attachments()).isEmpty();
            assertThat(storage.messages().find(c.id(), 1)).contains(stored);
        }

        @Test
        @DisplayName("seq is 1..N, gapless and in each sender's order under 20 concurrent senders in one conversation")
        void seqIsGaplessUnderConcurrentSenders() {
            int senders = 20;
            int perSender = 10;
            List<UserId> members = givenPatients(senders);
            Conversation group = givenGroup(members);
            List<List<Message>> sentBy = Concurrently.run(senders, i -> () -> {
                List<Message> mine = new ArrayList<>();
                for (int k = 0; k < perSender; k++) {
                    AppendResult r = storage.messages().append(newMessage(group.id(), members.get(i),
                            "s" + i + "-" + k, "body", T0.plusSeconds(k)));
                    assertThat(r.created()).isTrue();
                    mine.add(r.message());
                }
                return mine;
            });
            int total = senders * perSender;
            List<Message> all = sentBy.stream().flatMap(List::stream).toList();
            assertThat(all).extracting(Message::seq).containsExactlyInAnyOrderElementsOf(oneTo(total));
            for (List<Message> mine : sentBy) {
                assertThat(seqs(mine)).isSorted();
            }
            HistoryPage history = storage.messages().history(group.id(), null, total);
            assertThat(seqs(history.messages())).containsExactlyElementsOf(oneTo(total));
            assertThat(history.messages()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(history.hasMore()).isFalse();
        }

        @Test
        @DisplayName("a repeated clientMsgId returns the original unchanged and stores nothing, whatever the new body")
        void repeatReturnsOriginal() {
            Conversation c = givenDirect();
            UserId sender = c.memberIds().get(0);
            Message original = storage.messages().append(newMessage(c.id(), sender, "dup", "first", T0)).message();
            AppendResult repeat = storage.messages().append(newMessage(c.id(), sender, "dup", "second", T0.plusSeconds(9)));
            assertThat(repeat.created()).isFalse();
            assertThat(repeat.message()).isEqualTo(original);
            assertThat(storage.messages().history(c.id(), null, 10).messages()).containsExactly(original);
            assertThat(memberState(c, c.memberIds().get(1)).unread()).isEqualTo(1);
        }

        @Test
        @DisplayName("16 concurrent retries of one clientMsgId store one message, and all of them return it")
        void concurrentRetriesStoreOnce() {
            Conversation c = givenDirect();
            UserId sender = c.memberIds().get(1);
            List<AppendResult> results = Concurrently.run(16, i -> () ->
                    storage.messages().append(newMessage(c.id(), sender, "retry", "same", T0)));
            assertThat(results).filteredOn(AppendResult::created).hasSize(1);
            assertThat(results).extracting(AppendResult::message).containsOnly(results.get(0).message());
            assertThat(storage.messages().history(c.id(), null, 100).messages()).hasSize(1);
            assertThat(memberState(c, c.memberIds().get(0)).unread()).isEqualTo(1);
        }

        @Test
        @DisplayName("the same clientMsgId from two senders makes two messages")
        void keyIsPerSender() {
            Conversation c = givenDirect();
            AppendResult a = append(c, c.memberIds().get(0), "same-key");
            AppendResult b = append(c, c.memberIds().get(1), "same-key");
            assertThat(a.created()).isTrue();
            assertThat(b.created()).isTrue();
            assertThat(seqs(List.of(a.message(), b.message()))).containsExactly(1L, 2L);
        }

        @Test
        @DisplayName("an append by a non-member is not found and stores nothing")
        void appendByNonMemberIsNotFound() {
            Conversation c = givenDirect();
            UserId stranger = givenUser(Role.DOCTOR).id();
            assertThatThrownBy(() -> append(c, stranger, "x")).isInstanceOf(NotFoundException.class);
            assertThat(storage.messages().history(c.id(), null, 10).messages()).isEmpty();
        }

        @Test
        @DisplayName("an append to an unknown conversation is not found")
        void appendToUnknownConversationIsNotFound() {
            UserId sender = givenUser(Role.DOCTOR).id();
            assertThatThrownBy(() -> storage.messages().append(
                    newMessage(ConversationId.random(), sender, "x", "b", T0)))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("history of an empty conversation is an empty page with nothing more")
        void historyOfEmptyConversation() {
            Conversation c = givenDirect();
            HistoryPage page = storage.messages().history(c.id(), null, 50);
            assertThat(page.messages()).isEmpty();
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        @DisplayName("a page exactly as large as the history holds all of it and says nothing more")
        void exactPage() {
            Conversation c = givenDirect();
            List<Message> sent = appendAlternating(c, 5);
            HistoryPage page = storage.messages().history(c.id(), null, 5);
            assertThat(page.messages()).containsExactlyElementsOf(sent);
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        @DisplayName("history before seq 1 is empty with nothing more")
        void beforeSeqOne() {
            Conversation c = givenDirect();
            appendAlternating(c, 3);
            HistoryPage page = storage.messages().history(c.id(), 1L, 10);
            assertThat(page.messages()).isEmpty();
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        @DisplayName("a limit larger than the history returns all of it in ascending seq")
        void limitLargerThanHistory() {
            Conversation c = givenDirect();
            List<Message> sent = appendAlternating(c, 4);
            HistoryPage page = storage.messages().history(c.id(), null, 100);
            assertThat(page.messages()).containsExactlyElementsOf(sent);
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        @DisplayName("hasMore tells whether older messages exist, and paging by beforeSeq visits every message once")
        void pagingWalksEverything() {
            Conversation c = givenDirect();
            appendAlternating(c, 7);
            HistoryPage newest = storage.messages().history(c.id(), null, 3);
            assertThat(seqs(newest.messages())).containsExactly(5L, 6L, 7L);
            assertThat(newest.hasMore()).isTrue();
            HistoryPage middle = storage.messages().history(c.id(), 5L, 3);
            assertThat(seqs(middle.messages())).containsExactly(2L, 3L, 4L);
            assertThat(middle.hasMore()).isTrue();
            HistoryPage oldest = storage.messages().history(c.id(), 2L, 3);
            assertThat(seqs(oldest.messages())).containsExactly(1L);
            assertThat(oldest.hasMore()).isFalse();
        }

        @Test
        @DisplayName("a beforeSeq beyond the last message reads from the newest")
        void beforeSeqBeyondLast() {
            Conversation c = givenDirect();
            appendAlternating(c, 3);
            HistoryPage page = storage.messages().history(c.id(), 99L, 2);
            assertThat(seqs(page.messages())).containsExactly(2L, 3L);
            assertThat(page.hasMore()).isTrue();
        }

        @Test
        @DisplayName("after returns the messages after a seq, ascending, up to the limit")
        void afterReturnsBacklog() {
            Conversation c = givenDirect();
            appendAlternating(c, 6);
            assertThat(seqs(storage.messages().after(c.id(), 2, 3))).containsExactly(3L, 4L, 5L);
            assertThat(seqs(storage.messages().after(c.id(), 4, 10))).containsExactly(5L, 6L);
            assertThat(seqs(storage.messages().after(c.id(), 0, 10))).containsExactlyElementsOf(oneTo(6));
            assertThat(storage.messages().after(c.id(), 6, 10)).isEmpty();
        }

        @Test
        @DisplayName("find of a seq that does not exist is empty")
        void findMissing() {
            Conversation c = givenDirect();
            appendAlternating(c, 2);
            assertThat(storage.messages().find(c.id(), 3)).isEmpty();
            assertThat(storage.messages().find(ConversationId.random(), 1)).isEmpty();
        }
    }

    // ---- receipts ----

    /** The receipt store's rules on positions. */
    @Nested
    @DisplayName("receipts")
    public class Receipts {

        @Test
        @DisplayName("delivered rises, and a lower or equal receipt neither lowers it nor counts as advanced")
        void deliveredNeverMovesBack() {
            Conversation c = givenDirect();
            appendAlternating(c, 5);
            UserId patient = c.memberIds().get(1);
            ReceiptUpdate up = storage.receipts().markDelivered(c.id(), patient, 3);
            assertThat(up.advanced()).isTrue();
            assertThat(up.member().deliveredSeq()).isEqualTo(3);
            ReceiptUpdate down = storage.receipts().markDelivered(c.id(), patient, 2);
            assertThat(down.advanced()).isFalse();
            assertThat(down.member().deliveredSeq()).isEqualTo(3);
            assertThat(storage.receipts().markDelivered(c.id(), patient, 3).advanced()).isFalse();
            assertThat(memberState(c, patient).deliveredSeq()).isEqualTo(3);
        }

        @Test
        @DisplayName("read rises, and a lower or equal receipt neither lowers it nor counts as advanced")
        void readNeverMovesBack() {
            Conversation c = givenDirect();
            appendAlternating(c, 5);
            UserId patient = c.memberIds().get(1);
            assertThat(storage.receipts().markRead(c.id(), patient, 4).advanced()).isTrue();
            ReceiptUpdate down = storage.receipts().markRead(c.id(), patient, 1);
            assertThat(down.advanced()).isFalse();
            assertThat(down.member().readSeq()).isEqualTo(4);
            assertThat(down.member().deliveredSeq()).isEqualTo(4);
            assertThat(storage.receipts().markRead(c.id(), patient, 4).advanced()).isFalse();
            assertThat(memberState(c, patient).readSeq()).isEqualTo(4);
        }

        @Test
        @DisplayName("a position above the last seq is taken as the last seq")
        void clampedToLastSeq() {
            Conversation c = givenDirect();
            appendAlternating(c, 3);
            UserId doctor = c.memberIds().get(0);
            UserId patient = c.memberIds().get(1);
            assertThat(storage.receipts().markDelivered(c.id(), doctor, 50).member().deliveredSeq()).isEqualTo(3);
            ReceiptUpdate read = storage.receipts().markRead(c.id(), patient, 99);
            assertThat(read.member().readSeq()).isEqualTo(3);
            assertThat(read.member().deliveredSeq()).isEqualTo(3);
            assertThat(read.member().unread()).isZero();
        }

        @Test
        @DisplayName("in an empty conversation every receipt stays at 0 and does not advance")
        void emptyConversationStaysAtZero() {
            Conversation c = givenDirect();
            UserId patient = c.memberIds().get(1);
            assertThat(storage.receipts().markDelivered(c.id(), patient, 5).advanced()).isFalse();
            assertThat(storage.receipts().markRead(c.id(), patient, 5).advanced()).isFalse();
            assertThat(memberState(c, patient)).isEqualTo(new MemberState(c.id(), patient, 0, 0, 0));
        }

        @Test
        @DisplayName("reading raises delivered with it")
        void readRaisesDelivered() {
            Conversation c = givenDirect();
            appendAlternating(c, 4);
            UserId patient = c.memberIds().get(1);
            storage.receipts().markDelivered(c.id(), patient, 1);
            ReceiptUpdate read = storage.receipts().markRead(c.id(), patient, 3);
            assertThat(read.member().deliveredSeq()).isEqualTo(3);
            assertThat(memberState(c, patient).deliveredSeq()).isEqualTo(3);
        }

        @Test
        @DisplayName("delivered never changes read or the unread count")
        void deliveredLeavesReadAlone() {
            Conversation c = givenDirect();
            appendAlternating(c, 4);
            UserId patient = c.memberIds().get(1);
            storage.receipts().markDelivered(c.id(), patient, 4);
            MemberState state = memberState(c, patient);
            assertThat(state.readSeq()).isZero();
            assertThat(state.unread()).isEqualTo(2);
        }

        @Test
        @DisplayName("a receipt by a non-member, or in an unknown conversation, is not found")
        void receiptByNonMember() {
            Conversation c = givenDirect();
            appendAlternating(c, 2);
            UserId stranger = givenUser(Role.DOCTOR).id();
            assertThatThrownBy(() -> storage.receipts().markDelivered(c.id(), stranger, 1))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> storage.receipts().markRead(c.id(), stranger, 1))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> storage.receipts().markRead(ConversationId.random(), stranger, 1))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    // ---- unread ----

    /** The unread counters' rules. */
    @Nested
    @DisplayName("unread counts")
    public class Unread {

        @Test
        @DisplayName("each message from another member raises the count by one, right after the send")
        void countRisesWithEachSend() {
            Conversation c = givenDirect();
            UserId doctor = c.memberIds().get(0);
            UserId patient = c.memberIds().get(1);
            for (int i = 1; i <= 3; i++) {
                append(c, doctor, "d" + i);
                assertThat(memberState(c, patient).unread()).isEqualTo(i);
                assertThat(storage.receipts().unread(patient).of(c.id())).isEqualTo(i);
            }
        }

        @Test
        @DisplayName("a member's own messages are never counted as unread for them")
        void ownSendsNeverCount() {
            Conversation c = givenDirect();
            UserId doctor = c.memberIds().get(0);
            append(c, doctor, "a");
            append(c, doctor, "b");
            assertThat(memberState(c, doctor).unread()).isZero();
            assertThat(storage.receipts().unread(doctor)).isEqualTo(new UnreadCounts(0, Map.of()));
        }

        @Test
        @DisplayName("after a read, unread is the number of messages others sent above the read position")
        void readRecomputesFromOthersAbove() {
            List<UserId> members = List.of(givenUser(Role.DOCTOR).id(), givenUser(Role.PATIENT).id(),
                    givenUser(Role.DOCTOR).id());
            Conversation group = givenGroup(members);
            UserId a = members.get(0);
            UserId b = members.get(1);
            UserId c = members.get(2);
            // seq: 1 a, 2 b, 3 a, 4 c, 5 b
            append(group, a, "1");
            append(group, b, "2");
            append(group, a, "3");
            append(group, c, "4");
            append(group, b, "5");
            assertThat(memberState(group, b).unread()).isEqualTo(3);
            assertThat(storage.receipts().markRead(group.id(), b, 1).member().unread()).isEqualTo(2);
            assertThat(storage.receipts().markRead(group.id(), b, 3).member().unread()).isEqualTo(1);
            assertThat(storage.receipts().markRead(group.id(), b, 4).member().unread()).isZero();
            assertThat(storage.receipts().markRead(group.id(), c, 2).member().unread()).isEqualTo(2);
            assertThat(storage.receipts().markRead(group.id(), a, 3).member().unread()).isEqualTo(2);
            assertThat(storage.receipts().unread(b).of(group.id())).isZero();
        }

        @Test
        @DisplayName("a message after a read counts again")
        void sendAfterReadCounts() {
            Conversation c = givenDirect();
            UserId doctor = c.memberIds().get(0);
            UserId patient = c.memberIds().get(1);
            append(c, doctor, "1");
            storage.receipts().markRead(c.id(), patient, 1);
            append(c, doctor, "2");
            assertThat(memberState(c, patient).unread()).isEqualTo(1);
        }

        @Test
        @DisplayName("totals sum every conversation and leave out those with nothing unread")
        void totalsSumConversations() {
            UserId patient = givenUser(Role.PATIENT).id();
            UserId d1 = givenUser(Role.DOCTOR).id();
            UserId d2 = givenUser(Role.DOCTOR).id();
            UserId d3 = givenUser(Role.DOCTOR).id();
            Conversation c1 = storage.conversations().openDirect(ConversationId.random(), d1, patient, T0);
            Conversation c2 = storage.conversations().openDirect(ConversationId.random(), d2, patient, T0);
            Conversation c3 = storage.conversations().openDirect(ConversationId.random(), d3, patient, T0);
            append(c1, d1, "a");
            append(c1, d1, "b");
            append(c2, d2, "c");
            append(c3, patient, "mine");
            UnreadCounts counts = storage.receipts().unread(patient);
            assertThat(counts.total()).isEqualTo(3);
            assertThat(counts.perConversation()).isEqualTo(Map.of(c1.id(), 2L, c2.id(), 1L));
            storage.receipts().markRead(c1.id(), patient, 2);
            assertThat(storage.receipts().unread(patient))
                    .isEqualTo(new UnreadCounts(1, Map.of(c2.id(), 1L)));
        }

        @Test
        @DisplayName("a user with no conversations has nothing unread")
        void noConversationsNothingUnread() {
            assertThat(storage.receipts().unread(givenUser(Role.PATIENT).id()))
                    .isEqualTo(new UnreadCounts(0, Map.of()));
        }
    }

    // ---- role requests ----

    /** The role request store's rules. */
    @Nested
    @DisplayName("role requests")
    public class RoleRequests {

        private RoleRequest pending(UserId userId, Role role, Instant createdAt) {
            return new RoleRequest(RoleRequestId.random(), userId, role, "I am a cardiologist",
                    RoleRequestStatus.PENDING, createdAt, null, null);
        }

        @Test
        @DisplayName("a created request is found as stored")
        void createAndFind() {
            RoleRequest request = pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0);
            assertThat(storage.roleRequests().create(request)).isEqualTo(request);
            assertThat(storage.roleRequests().find(request.id())).contains(request);
            assertThat(storage.roleRequests().find(RoleRequestId.random())).isEmpty();
        }

        @Test
        @DisplayName("a second pending request by the same user for the same role is a conflict")
        void duplicatePendingConflicts() {
            UserId user = givenUser(Role.PATIENT).id();
            storage.roleRequests().create(pending(user, Role.DOCTOR, T0));
            assertThatThrownBy(() -> storage.roleRequests().create(pending(user, Role.DOCTOR, T0.plusSeconds(1))))
                    .isInstanceOf(ConflictException.class);
            storage.roleRequests().create(pending(user, Role.ADMIN, T0.plusSeconds(2)));
            storage.roleRequests().create(pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0.plusSeconds(3)));
            assertThat(storage.roleRequests().pending(10)).hasSize(3);
        }

        @Test
        @DisplayName("pending lists undecided requests oldest first, up to the limit")
        void pendingOldestFirst() {
            RoleRequest second = storage.roleRequests().create(pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0.plusSeconds(2)));
            RoleRequest first = storage.roleRequests().create(pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0.plusSeconds(1)));
            RoleRequest third = storage.roleRequests().create(pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0.plusSeconds(3)));
            RoleRequest decided = storage.roleRequests().create(pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0));
            storage.roleRequests().decide(decided.id(), RoleRequestStatus.DENIED, givenUser(Role.ADMIN).id(), T0.plusSeconds(9));
            assertThat(storage.roleRequests().pending(10)).containsExactly(first, second, third);
            assertThat(storage.roleRequests().pending(2)).containsExactly(first, second);
        }

        @Test
        @DisplayName("a request is decided once: the decision is recorded, and deciding again is a conflict")
        void decideOnce() {
            RoleRequest request = storage.roleRequests().create(pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0));
            UserId admin = givenUser(Role.ADMIN).id();
            RoleRequest approved = storage.roleRequests().decide(request.id(), RoleRequestStatus.APPROVED, admin, T0.plusSeconds(60));
            assertThat(approved.status()).isEqualTo(RoleRequestStatus.APPROVED);
            assertThat(approved.decidedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(approved.decidedBy()).isEqualTo(admin);
            assertThat(storage.roleRequests().find(request.id())).contains(approved);
            assertThatThrownBy(() -> storage.roleRequests().decide(request.id(), RoleRequestStatus.DENIED, admin, T0.plusSeconds(61)))
                    .isInstanceOf(ConflictException.class);
            assertThat(storage.roleRequests().find(request.id())).contains(approved);
        }

        @Test
        @DisplayName("deciding an unknown request is not found")
        void decideUnknown() {
            UserId admin = givenUser(Role.ADMIN).id();
            assertThatThrownBy(() -> storage.roleRequests().decide(RoleRequestId.random(), RoleRequestStatus.APPROVED, admin, T0))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("after a decision the user may ask for the same role again")
        void askAgainAfterDecision() {
            UserId user = givenUser(Role.PATIENT).id();
            RoleRequest first = storage.roleRequests().create(pending(user, Role.DOCTOR, T0));
            storage.roleRequests().decide(first.id(), RoleRequestStatus.DENIED, givenUser(Role.ADMIN).id(), T0.plusSeconds(1));
            RoleRequest again = storage.roleRequests().create(pending(user, Role.DOCTOR, T0.plusSeconds(2)));
            assertThat(storage.roleRequests().pending(10)).containsExactly(again);
        }

        @Test
        @DisplayName("of 8 concurrent decisions on one request exactly one wins and the others are conflicts")
        void concurrentDecisionsOneWins() {
            RoleRequest request = storage.roleRequests().create(pending(givenUser(Role.PATIENT).id(), Role.DOCTOR, T0));
            List<UserId> admins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                admins.add(givenUser(Role.ADMIN).id());
            }
            List<Object> outcomes = Concurrently.run(8, i -> () -> {
                try {
                    return storage.roleRequests().decide(request.id(),
                            i % 2 == 0 ? RoleRequestStatus.APPROVED : RoleRequestStatus.DENIED,
                            admins.get(i), T0.plusSeconds(i + 1));
                } catch (MessagingException e) {
                    return e;
                }
            });
            List<RoleRequest> winners = outcomes.stream()
                    .filter(RoleRequest.class::isInstance).map(RoleRequest.class::cast).toList();
            assertThat(winners).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !(o instanceof RoleRequest)).collect(Collectors.toList()))
                    .hasSize(7).allMatch(ConflictException.class::isInstance);
            assertThat(storage.roleRequests().find(request.id())).contains(winners.get(0));
        }
    }

    // ---- refresh tokens ----

    /**
     * The storage's refresh token store, wired to its users; {@link RefreshTokenStoreContract} has
     * the store's own rules.
     */
    @Nested
    @DisplayName("refresh tokens")
    public class RefreshTokens {
        @Test
        @DisplayName("refreshTokens() is always the same store, and it keeps and rotates a stored user's tokens")
        void keepsStoredUsersTokens() {
            assertThat(storage.refreshTokens()).isSameAs(storage.refreshTokens());
            UserId user = givenUser(Role.PATIENT).id();
            String first = "a".repeat(64);
            String second = "b".repeat(64);
            storage.refreshTokens().create(new StoredRefreshToken(first, "family-1", user, T0, T0.plusSeconds(3600),
                    T0.plusSeconds(86_400)));
            RefreshTokenStore.Rotation rotation =
                    storage.refreshTokens().rotate(first, second, T0.plusSeconds(60), T0.plusSeconds(7200));
            assertThat(rotation.outcome()).isEqualTo(RefreshTokenStore.Outcome.ROTATED);
            assertThat(rotation.successor().userId()).isEqualTo(user);
            assertThat(storage.refreshTokens().revokeAll(user, T0.plusSeconds(120))).isEqualTo(2);
            assertThat(storage.refreshTokens().rotate(second, "c".repeat(64), T0.plusSeconds(180), T0.plusSeconds(7200))
                    .outcome()).isEqualTo(RefreshTokenStore.Outcome.REVOKED);
        }
    }

    @Nested
    @DisplayName("audited sends")
    public class AuditedSends {
        private AuditTrail trail;

        @BeforeEach
        void openTrail() {
            trail = storage.auditTrail();
        }

        private AuditEvent sendEvent(UserId sender, Conversation conversation, String request) {
            return AuditEvent.builder(T0, "message.send", AuditEvent.Outcome.SUCCESS)
                    .actor(sender, Set.of(Role.PATIENT))
                    .client("127.0.0.1", null, request)
                    .object("conversation", conversation.id().value())
                    .build();
        }

        private List<AuditEvent> eventsOf(Conversation conversation) {
            return trail.query(AuditQuery.between(null, null, AuditQuery.MAX_LIMIT)).stream()
                    .map(AuditRecord::event)
                    .filter(e -> conversation.id().value().equals(e.objectId()))
                    .toList();
        }

        @Test
        @DisplayName("a send's audit event is kept once, with its message")
        void eventIsKeptWithTheMessage() {
            Conversation c = givenDirect();
            UserId sender = c.memberIds().get(1);
            AppendResult result = storage.messages().append(
                    newMessage(c.id(), sender, "k1", "body", T0), sendEvent(sender, c, "r1"), trail);
            assertThat(result.created()).isTrue();
            assertThat(storage.messages().find(c.id(), 1)).contains(result.message());
            assertThat(eventsOf(c)).extracting(AuditEvent::requestId).containsExactly("r1");
        }

        @Test
        @DisplayName("a send refused for a non-member keeps neither the message nor its event")
        void refusedSendKeepsNoEvent() {
            Conversation c = givenDirect();
            UserId stranger = givenUser(Role.PATIENT).id();
            assertThatThrownBy(() -> storage.messages().append(
                    newMessage(c.id(), stranger, "k1", "body", T0), sendEvent(stranger, c, "r1"), trail))
                    .isInstanceOf(NotFoundException.class);
            assertThat(storage.messages().history(c.id(), null, 10).messages()).isEmpty();
            assertThat(eventsOf(c)).isEmpty();
        }

        @Test
        @DisplayName("a repeated send keeps an event of its own and returns the original")
        void repeatKeepsItsOwnEvent() {
            Conversation c = givenDirect();
            UserId sender = c.memberIds().get(1);
            AppendResult first = storage.messages().append(
                    newMessage(c.id(), sender, "k1", "body", T0), sendEvent(sender, c, "r1"), trail);
            AppendResult again = storage.messages().append(
                    newMessage(c.id(), sender, "k1", "body", T0), sendEvent(sender, c, "r2"), trail);
            assertThat(again.created()).isFalse();
            assertThat(again.message()).isEqualTo(first.message());
            assertThat(eventsOf(c)).extracting(AuditEvent::requestId).containsExactly("r1", "r2");
        }

        @Test
        @DisplayName("concurrent audited sends and other audit events form one intact chain, one event each")
        void concurrentSendsAndEventsFormOneChain() {
            int senders = 8;
            int perSender = 15;
            List<UserId> members = givenPatients(senders);
            Conversation group = givenGroup(members);
            Concurrently.run(senders * 2, i -> () -> {
                UserId sender = members.get(i / 2);
                for (int k = 0; k < perSender; k++) {
                    if (i % 2 == 0) {
                        storage.messages().append(newMessage(group.id(), sender, "s" + i + "-" + k, "body", T0),
                                sendEvent(sender, group, "send-" + i + "-" + k), trail);
                    } else {
                        trail.record(sendEvent(sender, group, "read-" + i + "-" + k));
                    }
                }
                return null;
            });
            assertThat(storage.messages().history(group.id(), null, 1000).messages()).extracting(Message::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, senders * perSender).boxed().toList());
            assertThat(eventsOf(group)).extracting(AuditEvent::requestId)
                    .hasSize(2 * senders * perSender)
                    .doesNotHaveDuplicates();
            ChainVerification verification = trail.verify();
            assertThat(verification.valid()).as("chain: %s", verification).isTrue();
        }
    }

    // ---- care teams ----

    /** Groups whose members change: titles, joining at a seq, leaving, and the kept history. */
    @Nested
    @DisplayName("care teams")
    class CareTeams {

        private Conversation givenTeam(UserId doctor, List<UserId> others) {
            List<UserId> members = new ArrayList<>();
            members.add(doctor);
            members.addAll(others);
            return storage.conversations().createGroup(ConversationId.random(), "Ward 3 team", members, T0);
        }

        @Test
        @DisplayName("a group keeps its title, and find and the member's list return it")
        void titleIsKept() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            Conversation team = givenTeam(doctor, givenPatients(2));
            assertThat(team.kind()).isEqualTo(ConversationKind.GROUP);
            assertThat(team.title()).isEqualTo("Ward 3 team");
            assertThat(storage.conversations().find(team.id()).orElseThrow().title()).isEqualTo("Ward 3 team");
            assertThat(storage.conversations().listFor(doctor, 10).get(0).conversation().title())
                    .isEqualTo("Ward 3 team");
            Conversation direct = givenDirect();
            assertThat(storage.conversations().find(direct.id()).orElseThrow().title()).isNull();
        }

        @Test
        @DisplayName("a member added joins at the last seq: positions there, nothing unread, later messages counted")
        void addedMemberJoinsAtTheLastSeq() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            Conversation team = givenTeam(doctor, givenPatients(2));
            append(team, doctor, "before-1");
            append(team, doctor, "before-2");
            UserId colleague = givenUser(Role.DOCTOR).id();

            MemberState joined = storage.conversations().addMember(team.id(), colleague, T0.plusSeconds(60));

            assertThat(joined).isEqualTo(new MemberState(team.id(), colleague, 2, 2, 0, 2));
            assertThat(storage.conversations().member(team.id(), colleague)).contains(joined);
            assertThat(storage.conversations().find(team.id()).orElseThrow().memberIds()).endsWith(colleague);
            append(team, doctor, "after-1");
            assertThat(storage.conversations().member(team.id(), colleague).orElseThrow().unread()).isEqualTo(1);
            assertThat(storage.receipts().unread(colleague).total()).isEqualTo(1);
            assertThat(storage.conversations().listFor(colleague, 10)).extracting(s -> s.conversation().id())
                    .containsExactly(team.id());
            ReceiptUpdate read = storage.receipts().markRead(team.id(), colleague, 3);
            assertThat(read.member()).isEqualTo(new MemberState(team.id(), colleague, 3, 3, 0, 2));
        }

        @Test
        @DisplayName("a new member can send; their message gets the next seq")
        void addedMemberSends() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            Conversation team = givenTeam(doctor, givenPatients(2));
            append(team, doctor, "first");
            UserId colleague = givenUser(Role.DOCTOR).id();
            storage.conversations().addMember(team.id(), colleague, T0.plusSeconds(60));
            assertThat(append(team, colleague, "mine").message().seq()).isEqualTo(2);
        }

        @Test
        @DisplayName("adding a member twice is a conflict; adding to an unknown conversation is not found")
        void addRefusals() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            List<UserId> patients = givenPatients(2);
            Conversation team = givenTeam(doctor, patients);
            assertThatThrownBy(() -> storage.conversations().addMember(team.id(), patients.get(0), T0))
                    .isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> storage.conversations().addMember(ConversationId.random(), doctor, T0))
                    .isInstanceOf(NotFoundException.class);
            Conversation direct = givenDirect();
            UserId other = givenUser(Role.DOCTOR).id();
            assertThatThrownBy(() -> storage.conversations().addMember(direct.id(), other, T0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("a member removed is no member at once: no state, no list entry, no send, no unread counting")
        void removedMemberLosesAccess() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            List<UserId> patients = givenPatients(2);
            Conversation team = givenTeam(doctor, patients);
            append(team, doctor, "one");
            UserId removed = patients.get(1);

            assertThat(storage.conversations().removeMember(team.id(), removed, T0.plusSeconds(90))).isTrue();

            assertThat(storage.conversations().member(team.id(), removed)).isEmpty();
            assertThat(storage.conversations().members(team.id())).extracting(MemberState::userId)
                    .containsExactly(doctor, patients.get(0));
            assertThat(storage.conversations().find(team.id()).orElseThrow().memberIds())
                    .containsExactly(doctor, patients.get(0));
            assertThat(storage.conversations().listFor(removed, 10)).isEmpty();
            assertThatThrownBy(() -> append(team, removed, "late")).isInstanceOf(NotFoundException.class);
            append(team, doctor, "two");
            assertThat(storage.receipts().unread(removed).total()).isZero();
            assertThat(storage.conversations().removeMember(team.id(), removed, T0.plusSeconds(91))).isFalse();
        }

        @Test
        @DisplayName("membership history keeps every period: founders from 0, a removal closes its period, a return opens another")
        void historyKeepsEveryPeriod() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            List<UserId> patients = givenPatients(2);
            Conversation team = givenTeam(doctor, patients);
            UserId colleague = givenUser(Role.DOCTOR).id();
            append(team, doctor, "m1");
            storage.conversations().addMember(team.id(), colleague, T0.plusSeconds(100));
            append(team, doctor, "m2");
            append(team, doctor, "m3");
            storage.conversations().removeMember(team.id(), colleague, T0.plusSeconds(200));
            append(team, doctor, "m4");
            storage.conversations().addMember(team.id(), colleague, T0.plusSeconds(300));

            List<MembershipPeriod> history = storage.conversations().membershipHistory(team.id());

            List<UserId> founders = new ArrayList<>(List.of(doctor, patients.get(0), patients.get(1)));
            founders.sort((a, b) -> a.value().compareTo(b.value()));
            List<MembershipPeriod> expected = new ArrayList<>();
            for (UserId founder : founders) {
                expected.add(new MembershipPeriod(team.id(), founder, T0, 0, null, null));
            }
            expected.add(new MembershipPeriod(team.id(), colleague, T0.plusSeconds(100), 1,
                    T0.plusSeconds(200), 3L));
            expected.add(new MembershipPeriod(team.id(), colleague, T0.plusSeconds(300), 4, null, null));
            assertThat(history).containsExactlyElementsOf(expected);
            assertThat(storage.conversations().member(team.id(), colleague).orElseThrow().joinedSeq()).isEqualTo(4);
            assertThat(storage.conversations().membershipHistory(ConversationId.random())).isEmpty();
        }

        @Test
        @DisplayName("a direct conversation's two members have a period each from its creation")
        void directConversationHasPeriods() {
            Conversation direct = givenDirect();
            assertThat(storage.conversations().membershipHistory(direct.id()))
                    .extracting(MembershipPeriod::userId, MembershipPeriod::joinedSeq, MembershipPeriod::current)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(direct.memberIds().get(0), 0L, true),
                            org.assertj.core.groups.Tuple.tuple(direct.memberIds().get(1), 0L, true));
        }

        @Test
        @DisplayName("members added concurrently with sends each join between two seqs, and see exactly the messages after it")
        void joinsAreAtomicWithAppends() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            Conversation team = givenTeam(doctor, givenPatients(2));
            List<UserId> joiners = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                joiners.add(givenUser(Role.DOCTOR).id());
            }
            int sends = 20;
            Concurrently.run(joiners.size() + 1, i -> () -> {
                if (i == joiners.size()) {
                    for (int k = 0; k < sends; k++) {
                        append(team, doctor, "c" + k);
                    }
                } else {
                    storage.conversations().addMember(team.id(), joiners.get(i), T0.plusSeconds(i));
                }
                return null;
            });
            for (UserId joiner : joiners) {
                MemberState state = storage.conversations().member(team.id(), joiner).orElseThrow();
                assertThat(state.unread()).as("unread of a joiner").isEqualTo(sends - state.joinedSeq());
            }
        }
    }
}
