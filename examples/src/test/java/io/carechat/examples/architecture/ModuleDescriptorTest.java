package io.carechat.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.nats.NatsEventBus;
import io.carechat.messaging.tck.EventBusContract;
import io.carechat.messaging.websocket.CareChatWebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each library module with a {@code module-info.java} exports exactly its packages but the
 * {@code internal} ones: an application on the module path reaches the API and SPI and nothing
 * else. Read from the compiled descriptor of each module's classes (its jar, or its classes folder
 * in a reactor build).
 */
class ModuleDescriptorTest {

    /** The library modules with a descriptor, and a class of each. */
    enum Library {
        CORE("io.carechat.messaging", Messaging.class),
        TCK("io.carechat.messaging.tck", EventBusContract.class),
        NATS("io.carechat.messaging.nats", NatsEventBus.class),
        WEBSOCKET("io.carechat.messaging.websocket", CareChatWebSocketServer.class);

        final String moduleName;
        final Class<?> anchor;

        Library(String moduleName, Class<?> anchor) {
            this.moduleName = moduleName;
            this.anchor = anchor;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Library.class)
    @DisplayName("the module exports its API and SPI packages, every one but the internal ones, to everyone")
    void exportsEveryPackageButTheInternalOnes(Library library) throws Exception {
        Path location = Path.of(library.anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        withRoot(location, root -> {
            ModuleDescriptor descriptor = read(root.resolve("module-info.class"));
            Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));

            assertThat(descriptor.name()).isEqualTo(library.moduleName);
            assertThat(exported).as("no internal package is exported").noneMatch(p -> p.contains(".internal"));
            assertThat(exported).as("every other package is exported").isEqualTo(packagesOf(root).stream()
                    .filter(p -> !p.contains(".internal")).collect(Collectors.toCollection(TreeSet::new)));
            assertThat(descriptor.exports()).as("nothing is exported to chosen modules only")
                    .noneMatch(ModuleDescriptor.Exports::isQualified);
        });
    }

    private interface RootCheck {
        void check(Path root) throws Exception;
    }

    /** Runs the check on the classes folder, or on the root of the jar. */
    private static void withRoot(Path location, RootCheck check) throws Exception {
        if (Files.isDirectory(location)) {
            check.check(location);
            return;
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            check.check(jar.getPath("/"));
        }
    }

    private static ModuleDescriptor read(Path moduleInfo) throws IOException {
        assertThat(moduleInfo).as("the module has a module-info.java").exists();
        try (InputStream in = Files.newInputStream(moduleInfo)) {
            return ModuleDescriptor.read(in);
        }
    }

    /** The packages that hold classes. */
    private static Set<String> packagesOf(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName() != null && f.getFileName().toString().endsWith(".class")
                            && !f.getFileName().toString().equals("module-info.class")
                            && !root.relativize(f).toString().startsWith("META-INF"))
                    .map(f -> root.relativize(f.getParent()).toString().replace('/', '.').replace('\\', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
