package io.carechat.examples;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.UnrecoverableKeyException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A start-up failure a newcomer can fix by changing one setting: a port in use, a database that
 * cannot be reached or refuses the login, a keystore that cannot be read or whose password is
 * wrong. Its message is one line that names the setting; {@link DemoServer} prints it and exits
 * non-zero without a stack trace. The message never holds a password, a key or a JDBC URL (which
 * may carry a password). The static helpers run one start-up step and turn its known failures
 * into this exception; other failures pass through unchanged. Immutable.
 */
final class StartupFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int DATABASE_LOGIN_TIMEOUT_SECONDS = 5;

    /** One start-up step. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws IOException, GeneralSecurityException;
    }

    StartupFailure(String message) {
        super(message, null, false, false);
    }

    /** Runs a step that binds a port; "in use" becomes a failure naming the port's setting. */
    static <T> T binding(Setting port, int number, Step<T> step) throws IOException, GeneralSecurityException {
        try {
            return step.run();
        } catch (IOException | RuntimeException e) {
            if (causedBy(e, BindException.class)) {
                throw new StartupFailure("port " + number + " is already in use (or not allowed) on this address; set "
                        + port.envName() + " (or " + port.flag() + ") to a free port");
            }
            throw e;
        }
    }

    /**
     * Opens and closes one connection to the configured database, so that a wrong URL, an
     * unreachable server or a refused login ends start-up with one line naming the settings
     * instead of the pool's stack trace.
     *
     * @param config the configuration
     * @param login the user and password to connect with
     */
    static void probeDatabase(ServerConfig config, Properties login) {
        try {
            DriverManager.setLoginTimeout(DATABASE_LOGIN_TIMEOUT_SECONDS);
            Connection connection = DriverManager.getConnection(config.jdbcUrl(), login);
            connection.close();
        } catch (SQLException e) {
            throw databaseFailure(config, e);
        }
    }

    private static StartupFailure databaseFailure(ServerConfig config, SQLException sql) {
        if (config.embeddedDatabase()) {
            return new StartupFailure("the embedded database in " + config.dataDir().toAbsolutePath()
                    + " cannot be opened (is another CareChat using it?); set " + Setting.DATA_DIR.envName()
                    + " to another folder or stop the other server");
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (state.startsWith("28")) {
            return new StartupFailure("the database refused the login; check " + Setting.DB_USER.envName()
                    + " and " + Setting.DB_PASSWORD.envName());
        }
        if (state.equals("3D000")) {
            return new StartupFailure("the database named in " + Setting.DB_URL.envName() + " does not exist");
        }
        String why;
        if (causedBy(sql, UnknownHostException.class)) {
            why = "its host is unknown";
        } else if (causedBy(sql, ConnectException.class) || state.startsWith("08")) {
            why = "it cannot be reached or refused the connection";
        } else if (sql.getMessage() != null && sql.getMessage().startsWith("No suitable driver")) {
            why = "the URL is not a PostgreSQL or H2 JDBC URL";
        } else {
            why = "it failed (SQL state " + (state.isEmpty() ? "unknown" : state) + ")";
        }
        return new StartupFailure("cannot connect to the database: " + why + "; check " + Setting.DB_URL.envName());
    }

    /** Runs the step that reads the TLS keystore; an unreadable file or a wrong password names the setting. */
    static <T> T readingKeystore(ServerConfig config, Step<T> step) throws IOException, GeneralSecurityException {
        try {
            return step.run();
        } catch (NoSuchFileException | FileNotFoundException | AccessDeniedException e) {
            throw new StartupFailure("the TLS keystore " + config.tlsKeystore().map(Object::toString).orElse("")
                    + " cannot be read; set " + Setting.TLS_KEYSTORE.envName() + " to a readable PKCS#12 file");
        } catch (IOException | GeneralSecurityException e) {
            if (causedBy(e, UnrecoverableKeyException.class)) {
                throw new StartupFailure("the TLS keystore's password is wrong; check "
                        + Setting.TLS_KEYSTORE_PASSWORD.envName());
            }
            throw new StartupFailure("the TLS keystore " + config.tlsKeystore().map(Object::toString).orElse("")
                    + " is not a PKCS#12 keystore this password opens (" + e.getClass().getSimpleName() + "); check "
                    + Setting.TLS_KEYSTORE.envName() + " and " + Setting.TLS_KEYSTORE_PASSWORD.envName());
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    private static <X extends Throwable> X find(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
