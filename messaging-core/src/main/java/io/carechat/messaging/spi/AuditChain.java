package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * The hash chain every {@link AuditTrail} keeps, so that all implementations hash and verify the
 * same way. Stateless and thread-safe.
 *
 * <p>An event's canonical form is: the previous hash, the sequence number and every field of the
 * event, each written as a 4-byte length and its UTF-8 bytes (a length of -1 for an absent field),
 * in declaration order. The time is taken to the microsecond, the finest that databases keep;
 * roles are their names in declaration order, comma-separated. The {@link AuditEvent#count() count}
 * is written last, as decimal text, only when it is more than 1, so that every event written
 * before aggregated events existed hashes as it did. The first event's previous hash is
 * {@link #GENESIS}.
 *
 * <p>A keyed event's hash is the lower-case hex HMAC-SHA256, under the
 * {@link KeyProvider#macKey(String) MAC key} of the key id recorded with it, of that key id
 * (written the same way) followed by the canonical form. The key never reaches the database, so
 * whoever can rewrite the table but does not hold the key cannot rebuild the chain. Events written
 * before the chain was keyed carry no key id and their hash is the plain SHA-256 of the canonical
 * form; they still verify, as a segment named {@value ChainVerification.Segment#UNKEYED}, but only
 * at the start of the chain: an unkeyed event after a keyed one, or a chain whose newest event is
 * unkeyed when the verifier holds keys, is what a chain rebuilt without the key looks like, and
 * fails.
 *
 * <p>Keep the newest hash outside the database too (each export carries it) to anchor the chain
 * against someone who holds the key as well.
 */
public final class AuditChain {
    /** The previous hash of the first event: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private static final String HMAC = "HmacSHA256";

    private AuditChain() {}

    /**
     * The time as the chain keeps it: to the microsecond.
     *
     * @param time the time
     * @return the truncated time
     */
    public static Instant canonicalTime(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Computes an unkeyed event's hash, as events were hashed before the chain was keyed.
     *
     * @param previousHash the previous event's hash, or {@link #GENESIS}
     * @param sequence the event's sequence number
     * @param event the event
     * @return the lower-case hex SHA-256
     */
    public static String hash(String previousHash, long sequence, AuditEvent event) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical(previousHash, sequence, event).toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Computes a keyed event's hash.
     *
     * @param macKey the MAC key of {@code keyId}
     * @param keyId the key id recorded with the event
     * @param previousHash the previous event's hash, or {@link #GENESIS}
     * @param sequence the event's sequence number
     * @param event the event
     * @return the lower-case hex HMAC-SHA256
     */
    public static String hash(SecretKey macKey, String keyId, String previousHash, long sequence, AuditEvent event) {
        requireNonNull(macKey, "macKey");
        requireNonNull(keyId, "keyId");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, keyId);
        out.writeBytes(canonical(previousHash, sequence, event).toByteArray());
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(macKey);
            return HexFormat.of().formatHex(mac.doFinal(out.toByteArray()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable or the key cannot key it", e);
        }
    }

    /**
     * The MAC key new events are hashed with: the one of the provider's current key.
     *
     * @param keys the key provider
     * @return the current key id and its MAC key
     * @throws IllegalStateException if the provider does not hold its own current key
     */
    public static CurrentMacKey currentMacKey(KeyProvider keys) {
        String keyId = keys.currentKeyId();
        SecretKey key = keys.macKey(keyId).orElseThrow(
                () -> new IllegalStateException("the key provider does not hold its own current key"));
        return new CurrentMacKey(keyId, key);
    }

    /**
     * A MAC key with its id, for hashing a batch of events.
     *
     * @param keyId the id recorded with each event
     * @param key the MAC key; never stored
     */
    public record CurrentMacKey(String keyId, SecretKey key) {
        /** Checks the fields. */
        public CurrentMacKey {
            requireNonNull(keyId, "keyId");
            requireNonNull(key, "key");
        }

        /**
         * Hashes an event with this key.
         *
         * @param previousHash the previous event's hash
         * @param sequence the event's sequence number
         * @param event the event
         * @return the keyed hash
         */
        public String hash(String previousHash, long sequence, AuditEvent event) {
            return AuditChain.hash(key, keyId, previousHash, sequence, event);
        }

        /** Leaves out the key. */
        @Override
        public String toString() {
            return "CurrentMacKey[keyId=" + keyId + "]";
        }
    }

    /**
     * Walks records in stored order against the chain's head and names the first broken link and
     * the segments walked.
     *
     * @param records every stored record, ordered by sequence as the store returns them
     * @param headSequence the sequence of the last event the store appended (0 if none)
     * @param headHash the hash of that event ({@link #GENESIS} if none)
     * @param keys the keys of the keyed segments, or null for a trail that was never keyed (then
     *     any keyed event fails as {@code unknown_key})
     * @return the verification
     */
    public static ChainVerification verify(
            Iterable<AuditRecord> records, long headSequence, String headHash, @Nullable KeyProvider keys) {
        long expected = 1;
        String previous = GENESIS;
        long checked = 0;
        Segments segments = new Segments();
        for (AuditRecord record : records) {
            if (record.sequence() > headSequence) {
                return ChainVerification.brokenAt(checked, record.sequence(), "beyond_head", segments.list());
            }
            if (record.sequence() > expected) {
                return ChainVerification.brokenAt(checked, expected, "missing", segments.list());
            }
            if (record.sequence() < expected) {
                return ChainVerification.brokenAt(checked, record.sequence(), "out_of_order", segments.list());
            }
            segments.add(record.keyId(), expected);
            if (!record.previousHash().equals(previous)) {
                return ChainVerification.brokenAt(checked, expected, "previous_hash_mismatch", segments.list());
            }
            if (record.keyId() == null && segments.keyedSeen()) {
                return ChainVerification.brokenAt(checked, expected, "unkeyed_after_keyed", segments.list());
            }
            Optional<String> hash = expectedHash(record, previous, keys);
            if (hash.isEmpty()) {
                return ChainVerification.brokenAt(checked, expected, "unknown_key", segments.list());
            }
            if (!hash.get().equals(record.hash())) {
                return ChainVerification.brokenAt(checked, expected, "hash_mismatch", segments.list());
            }
            checked++;
            previous = record.hash();
            expected++;
        }
        if (expected - 1 != headSequence) {
            return ChainVerification.brokenAt(checked, expected, "truncated", segments.list());
        }
        if (!previous.equals(headHash)) {
            return ChainVerification.brokenAt(checked, headSequence, "head_mismatch", segments.list());
        }
        if (keys != null && checked > 0 && !segments.endsKeyed()) {
            return ChainVerification.brokenAt(checked, headSequence, "unkeyed_head", segments.list());
        }
        return ChainVerification.intact(checked, segments.list());
    }

    private static Optional<String> expectedHash(AuditRecord record, String previous, @Nullable KeyProvider keys) {
        String keyId = record.keyId();
        if (keyId == null) {
            return Optional.of(hash(previous, record.sequence(), record.event()));
        }
        if (keys == null) {
            return Optional.empty();
        }
        return keys.macKey(keyId).map(key -> hash(key, keyId, previous, record.sequence(), record.event()));
    }

    /** Collects the segments of a walk. Not thread-safe; one per walk. */
    private static final class Segments {
        private final List<ChainVerification.Segment> done = new ArrayList<>();
        private @Nullable String keyId;
        private long first;
        private long last;
        private boolean keyedSeen;

        void add(@Nullable String recordKeyId, long sequence) {
            if (last == 0 || !Objects.equals(keyId, recordKeyId)) {
                close();
                keyId = recordKeyId;
                first = sequence;
            }
            last = sequence;
        }

        private void close() {
            if (last != 0) {
                done.add(new ChainVerification.Segment(keyId, first, last));
                keyedSeen |= keyId != null;
            }
        }

        boolean keyedSeen() {
            return keyedSeen;
        }

        boolean endsKeyed() {
            return keyId != null;
        }

        List<ChainVerification.Segment> list() {
            List<ChainVerification.Segment> all = new ArrayList<>(done);
            if (last != 0) {
                all.add(new ChainVerification.Segment(keyId, first, last));
            }
            return all;
        }
    }

    private static ByteArrayOutputStream canonical(String previousHash, long sequence, AuditEvent event) {
        requireNonNull(previousHash, "previousHash");
        requireNonNull(event, "event");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, previousHash);
        field(out, Long.toString(sequence));
        field(out, canonicalTime(event.time()).toString());
        field(out, event.action());
        field(out, event.outcome().name());
        field(out, id(event.actorId()));
        field(out, event.actorRoles().stream().sorted().map(Role::name).collect(Collectors.joining(",")));
        field(out, event.clientAddress());
        field(out, event.clientId());
        field(out, event.objectType());
        field(out, event.objectId());
        field(out, id(event.patientId()));
        field(out, event.requestId());
        field(out, event.reason());
        if (event.count() > 1) {
            field(out, Integer.toString(event.count()));
        }
        return out;
    }

    private static @Nullable String id(@Nullable UserId id) {
        return id == null ? null : id.value();
    }

    private static void field(ByteArrayOutputStream out, @Nullable String value) {
        if (value == null) {
            writeInt(out, -1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
