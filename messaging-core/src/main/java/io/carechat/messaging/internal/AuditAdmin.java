package io.carechat.messaging.internal;

import io.carechat.messaging.model.Caller;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.audit.FhirAuditExporter;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.ChainVerification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The administrators' view of the audit trail: queries, verification and FHIR export, each
 * allowed only to a stored, enabled admin and itself audited before it runs. Not API. Thread-safe.
 */
public final class AuditAdmin {
    private final @Nullable AuditTrail trail;
    private final ActiveUsers users;
    private final Auditor auditor;
    private final FhirAuditExporter exporter;

    /**
     * Creates the view.
     *
     * @param sink the configured sink; its queries are available only when it is an {@link AuditTrail}
     * @param users loads the caller's stored roles
     * @param auditor records each use
     * @param exporter writes the FHIR export
     */
    public AuditAdmin(AuditSink sink, ActiveUsers users, Auditor auditor, FhirAuditExporter exporter) {
        this.exporter = exporter;
        this.trail = sink instanceof AuditTrail t ? t : null;
        this.users = users;
        this.auditor = auditor;
    }

    /**
     * Reads events back.
     *
     * @param caller an admin
     * @param query the filters
     * @return the records
     */
    public List<AuditRecord> query(Caller caller, AuditQuery query) {
        AuditTrail t = authorize(caller, "audit.query");
        auditor.success(caller, "audit.query", "audit_trail", "query", null);
        return t.query(query);
    }

    /**
     * Verifies the chain.
     *
     * @param caller an admin
     * @return the verification
     */
    public ChainVerification verify(Caller caller) {
        AuditTrail t = authorize(caller, "audit.verify");
        auditor.success(caller, "audit.verify", "audit_trail", "chain", null);
        return t.verify();
    }

    /**
     * Exports a time range as a FHIR Bundle of AuditEvent resources.
     *
     * @param caller an admin
     * @param from the first instant included
     * @param to the first instant excluded
     * @return the Bundle as JSON
     */
    public String export(Caller caller, Instant from, Instant to) {
        AuditTrail t = authorize(caller, "audit.export");
        auditor.success(caller, "audit.export", "audit_trail", from + "/" + to, null);
        List<AuditRecord> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<AuditRecord> page = t.query(new AuditQuery(from, to, null, null, after, AuditQuery.MAX_LIMIT));
            all.addAll(page);
            if (page.size() < AuditQuery.MAX_LIMIT) {
                break;
            }
            after = page.get(page.size() - 1).sequence();
        }
        return exporter.bundle(all, auditor.clock().instant());
    }

    private AuditTrail authorize(Caller caller, String action) {
        User user = users.caller(caller.userId());
        if (!user.hasRole(Role.ADMIN)) {
            auditor.refused(caller, action, "audit_trail", "chain", "not_admin");
            throw new ForbiddenException("only an admin may read the audit trail");
        }
        if (trail == null) {
            throw new IllegalStateException("the configured audit sink is not an AuditTrail");
        }
        return trail;
    }
}
