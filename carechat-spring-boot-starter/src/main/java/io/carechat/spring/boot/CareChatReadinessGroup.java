package io.carechat.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Adds CareChat's readiness checks (storage, event bus link, audit writer) to Actuator's
 * {@code readiness} group when the application has one (probes on, as on Kubernetes or with
 * {@code management.endpoint.health.probes.enabled=true}): traffic waits until CareChat can serve
 * it. The {@code liveness} group is left as it is, so a database outage takes the node out of the
 * load balancer without restarting it. Without a readiness group nothing changes. Stateless;
 * thread-safe.
 */
final class CareChatReadinessGroup implements HealthEndpointGroupsPostProcessor {
    /** The health contributors that decide whether CareChat can take traffic. */
    static final Set<String> MEMBERS = Set.of("carechatStorage", "carechatEventBus", "carechatAuditWriter");
    private static final String READINESS = "readiness";

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (readiness == null) {
            return groups;
        }
        Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            named.put(name, groups.get(name));
        }
        named.put(READINESS, new WithCareChat(readiness));
        return HealthEndpointGroups.of(groups.getPrimary(), named);
    }

    /** A group that also holds CareChat's readiness checks. */
    private record WithCareChat(HealthEndpointGroup group) implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            return MEMBERS.contains(name) || group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
