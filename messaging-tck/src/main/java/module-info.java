/**
 * CareChat's conformance kit: the JUnit 5 contracts every storage adapter, event bus and transport
 * passes, and the history checker. Open, so that JUnit can run the contracts' test methods when an
 * adapter's tests extend them on the module path.
 */
open module io.carechat.messaging.tck {
    requires transitive io.carechat.messaging;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports io.carechat.messaging.tck;
    exports io.carechat.messaging.tck.history;
    exports io.carechat.messaging.tck.transport;
}
