package io.carechat.examples.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test class's screenshots for a person to look at: {@code target/screenshots/<class>/NN-<name>.png},
 * numbered in the order they were taken. Earlier runs' pictures of the class are removed first.
 */
final class Screenshots {
    private final Path dir;
    private final AtomicInteger taken = new AtomicInteger();

    private Screenshots(Path dir) {
        this.dir = dir;
    }

    static Screenshots of(Class<?> testClass) {
        Path dir = Path.of("target", "screenshots", testClass.getSimpleName());
        try {
            Files.createDirectories(dir);
            try (var old = Files.list(dir)) {
                for (Path file : old.filter(f -> f.toString().endsWith(".png")).toList()) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Screenshots(dir);
    }

    Path save(String name, byte[] png) {
        Path file = dir.resolve(String.format("%02d-%s.png", taken.incrementAndGet(), name));
        try {
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
