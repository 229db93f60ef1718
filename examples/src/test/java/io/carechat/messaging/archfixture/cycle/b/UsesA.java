package io.carechat.messaging.archfixture.cycle.b;

import io.carechat.messaging.archfixture.cycle.a.UsesB;

/** The other half of the package cycle that {@code ArchitectureTest} must report. Never used. */
public final class UsesA {
    private UsesA() {}

    static Class<?> other() {
        return UsesB.class;
    }
}
