package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Loads messaging-core's password hashing in a class loader that sees only the module's own classes
 * and the JDK, as in a deployment that excluded BouncyCastle.
 */
@DisplayName("Password hashing on a class path without BouncyCastle")
class PasswordHasherWithoutBouncyCastleTest {

    private URLClassLoader isolated;
    private Class<?> hasherType;

    @BeforeEach
    void isolate() throws ClassNotFoundException {
        URL coreClasses = PasswordHasher.class.getProtectionDomain().getCodeSource().getLocation();
        isolated = new URLClassLoader(new URL[] {coreClasses}, ClassLoader.getPlatformClassLoader());
        hasherType = Class.forName(PasswordHasher.class.getName(), true, isolated);
        assertThat(catchThrowable(() -> Class.forName("org.bouncycastle.crypto.params.Argon2Parameters", false, isolated)))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @AfterEach
    void close() throws Exception {
        isolated.close();
    }

    @Test
    @DisplayName("the Argon2id default says that BouncyCastle is missing and what to use instead")
    void defaultNamesTheMissingLibrary() throws Exception {
        Method defaults = hasherType.getMethod("defaults");
        Throwable thrown = catchThrowable(() -> defaults.invoke(null));
        assertThat(thrown).isInstanceOf(InvocationTargetException.class);
        assertThat(thrown.getCause()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.bouncycastle:bcprov-jdk18on")
                .hasMessageContaining("PasswordHasher.pbkdf2()");
    }

    @Test
    @DisplayName("the PBKDF2 hasher hashes and verifies with the JDK alone")
    void pbkdf2NeedsOnlyTheJdk() throws Exception {
        Object hasher = hasherType.getMethod("pbkdf2", int.class).invoke(null, 1_000);
        String hash = (String) hasherType.getMethod("hash", String.class).invoke(hasher, "a long enough passphrase");
        Method verify = hasherType.getMethod("verify", String.class, String.class);
        assertThat(verify.invoke(hasher, "a long enough passphrase", hash)).hasToString("MATCH");
        assertThat(verify.invoke(hasher, "another passphrase", hash)).hasToString("MISMATCH");
    }
}
