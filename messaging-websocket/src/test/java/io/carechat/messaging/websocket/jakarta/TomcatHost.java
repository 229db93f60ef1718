package io.carechat.messaging.websocket.jakarta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * An embedded Tomcat 11 on 127.0.0.1 and an ephemeral port with CareChat's Jakarta endpoint
 * registered the way a vendor would: the upgrade servlet at the endpoint's path in a context that
 * has Tomcat's WebSocket container ({@link WsSci}). One test starts one and closes it.
 */
final class TomcatHost implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;
    private final Path baseDir;

    private TomcatHost(Tomcat tomcat, Connector connector, Path baseDir) {
        this.tomcat = tomcat;
        this.connector = connector;
        this.baseDir = baseDir;
    }

    static TomcatHost start(CareChatEndpointConfig endpoint) throws Exception {
        Path baseDir = Files.createTempDirectory("carechat-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        context.addServletContainerInitializer(new WsSci(), null);
        Tomcat.addServlet(context, "carechat", endpoint.upgradeServlet()).addMapping(endpoint.path());
        tomcat.start();
        return new TomcatHost(tomcat, connector, baseDir);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop", e);
        } finally {
            deleteQuietly(baseDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it up
        }
    }
}
