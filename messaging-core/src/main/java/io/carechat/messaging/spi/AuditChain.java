package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The hash chain every {@link AuditTrail} keeps, so that all implementations hash and verify the
 * same way. Stateless and thread-safe.
 *
 * <p>An event's hash is the lower-case hex SHA-256 of: the previous hash, the sequence number and
 * every field of the event, each written as a 4-byte length and its UTF-8 bytes (a length of -1
 * for an absent field), in declaration order. The time is taken to the microsecond, the finest
 * that databases keep; roles are their names in declaration order, comma-separated. The first
 * event's previous hash is {@link #GENESIS}.
 *
 * <p>A hash chain shows changes made by someone who cannot recompute the hashes after their
 * change; whoever can rewrite the whole table can also rewrite the chain. Keep the newest hash
 * outside the database too (each export carries it) to anchor the chain.
 */
public final class AuditChain {
    /** The previous hash of the first event: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

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
     * Computes an event's hash.
     *
     * @param previousHash the previous event's hash, or {@link #GENESIS}
     * @param sequence the event's sequence number
     * @param event the event
     * @return the lower-case hex SHA-256
     */
    public static String hash(String previousHash, long sequence, AuditEvent event) {
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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Walks records in stored order against the chain's head and names the first broken link.
     *
     * @param records every stored record, ordered by sequence as the store returns them
     * @param headSequence the sequence of the last event the store appended (0 if none)
     * @param headHash the hash of that event ({@link #GENESIS} if none)
     * @return the verification
     */
    public static ChainVerification verify(Iterable<AuditRecord> records, long headSequence, String headHash) {
        long expected = 1;
        String previous = GENESIS;
        long checked = 0;
        for (AuditRecord record : records) {
            if (record.sequence() > headSequence) {
                return ChainVerification.brokenAt(checked, record.sequence(), "beyond_head");
            }
            if (record.sequence() > expected) {
                return ChainVerification.brokenAt(checked, expected, "missing");
            }
            if (record.sequence() < expected) {
                return ChainVerification.brokenAt(checked, record.sequence(), "out_of_order");
            }
            if (!record.previousHash().equals(previous)) {
                return ChainVerification.brokenAt(checked, expected, "previous_hash_mismatch");
            }
            if (!hash(previous, expected, record.event()).equals(record.hash())) {
                return ChainVerification.brokenAt(checked, expected, "hash_mismatch");
            }
            checked++;
            previous = record.hash();
            expected++;
        }
        if (expected - 1 != headSequence) {
            return ChainVerification.brokenAt(checked, expected, "truncated");
        }
        if (!previous.equals(headHash)) {
            return ChainVerification.brokenAt(checked, headSequence, "head_mismatch");
        }
        return ChainVerification.intact(checked);
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
