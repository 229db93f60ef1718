package io.carechat.examples;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * The demo server's entry point: reads the settings, starts a {@link ServerNode}, prints where to
 * open the UI and the demo accounts, and shuts down gracefully on SIGTERM or Ctrl-C.
 */
public final class DemoServer {
    private DemoServer() {}

    /**
     * Starts the server.
     *
     * @param args flags, see {@code --help}
     * @throws Exception if start-up fails
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(ServerConfig.help());
            return;
        }
        ServerNode node;
        try {
            node = ServerNode.start(ServerConfig.parse(args, System.getenv()));
        } catch (ServerConfig.InvalidSettingException e) {
            System.err.println("CareChat cannot start: " + e.getMessage());
            System.exit(2);
            return;
        } catch (StartupFailure e) {
            System.err.println("CareChat cannot start: " + e.getMessage());
            System.exit(3);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("CareChat is shutting down");
            node.close();
            stopped.countDown();
        }, "carechat-shutdown"));
        printBanner(out, node);
        stopped.await();
    }

    private static void printBanner(PrintStream out, ServerNode node) {
        ServerConfig config = node.config();
        out.println();
        out.println("CareChat demo is running: open " + config.httpOrigin() + "/");
        out.println("  WebSocket endpoint: " + config.wsUrl()
                + (config.wsPort().isPresent() ? " (and ws" + (config.tls() ? "s" : "") + "://" + config.publicHost() + ":"
                        + config.httpPort() + "/ws)" : ""));
        out.println("  Database: " + (config.embeddedDatabase()
                ? "embedded H2 in " + config.dataDir().toAbsolutePath() : "external JDBC database"));
        String generated = node.seed().generatedAdminPassword();
        if (generated != null) {
            out.println("  First admin: username 'admin', password " + generated
                    + "  (shown once; set CARECHAT_ADMIN_PASSWORD to choose it)");
        }
        if (config.demoData()) {
            out.println("  Demo accounts, password '" + Seeding.DEMO_PASSWORD + "':");
            for (Seeding.DemoAccount account : Seeding.DEMO_ACCOUNTS) {
                out.println("    " + account.username() + " (" + account.role().name().toLowerCase(java.util.Locale.ROOT)
                        + ", " + account.displayName() + ")");
            }
        }
        out.println("Stop with Ctrl-C.");
        out.flush();
    }
}
