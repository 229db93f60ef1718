package io.carechat.messaging.archfixture.cycle.a;

import io.carechat.messaging.archfixture.cycle.b.UsesA;

/** One half of a package cycle that {@code ArchitectureTest} must report. Never used. */
public final class UsesB {
    private UsesB() {}

    static Class<?> other() {
        return UsesA.class;
    }
}
