package io.carechat.examples;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.spi.UserStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Creates the first admin and, for demos, a few doctors and patients. */
final class Seeding {
    /** The password of every demo account; documented in the README. */
    static final String DEMO_PASSWORD = "carechat-demo-2026";

    /** A demo account. */
    record DemoAccount(String username, String displayName, Role role) {}

    static final List<DemoAccount> DEMO_ACCOUNTS = List.of(
            new DemoAccount("dr.grey", "Dr Meredith Grey", Role.DOCTOR),
            new DemoAccount("dr.bailey", "Dr Miranda Bailey", Role.DOCTOR),
            new DemoAccount("sam", "Sam Patient", Role.PATIENT),
            new DemoAccount("alex", "Alex Patient", Role.PATIENT));

    private Seeding() {}

    /**
     * Creates the admin {@code admin} on an empty database.
     *
     * @return the generated password to print once, or null when none was generated or no admin
     *     was created
     */
    static String firstAdmin(Messaging messaging, UserStore users, ServerConfig config) {
        if (users.count() > 0) {
            return null;
        }
        String password = config.adminPassword();
        String generated = null;
        if (password.isEmpty()) {
            generated = randomPassword();
            password = generated;
        }
        try {
            messaging.accounts().createAdmin(new Registration("admin", "admin@carechat.invalid", password,
                    "Administrator"));
        } catch (BadRequestException e) {
            throw new ServerConfig.InvalidSettingException(
                    List.of(Setting.ADMIN_PASSWORD.envName() + " is not accepted: " + e.getMessage()));
        }
        return generated;
    }

    /** Creates the demo accounts that do not exist yet; the first admin grants the doctors their role. */
    static List<DemoAccount> demoAccounts(Messaging messaging, UserStore users) {
        List<DemoAccount> created = new ArrayList<>();
        Caller admin = users.findCredentials("admin").map(c -> Caller.of(c.user()))
                .orElseThrow(() -> new IllegalStateException("demo data needs the first admin 'admin'"));
        for (DemoAccount account : DEMO_ACCOUNTS) {
            if (users.findCredentials(account.username()).isPresent()) {
                continue;
            }
            User user = messaging.accounts().register(new Registration(account.username(),
                    account.username() + "@demo.carechat.invalid", DEMO_PASSWORD, account.displayName()),
                    ClientContext.unknown());
            if (account.role() != Role.PATIENT) {
                messaging.accounts().setRoles(admin, user.id(), Set.of(account.role()));
            }
            created.add(account);
        }
        return created;
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
