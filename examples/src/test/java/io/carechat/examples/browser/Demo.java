package io.carechat.examples.browser;

/** Facts of the demo server the browser tests rely on (see {@code Seeding} and the README). */
final class Demo {
    /** The password of every seeded demo account. */
    static final String PASSWORD = "carechat-demo-2026";
    /** The first admin's password the tests start the server with. */
    static final String ADMIN_PASSWORD = "browser-test-root-passphrase";

    private Demo() {}
}
