package io.carechat.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the demo's data folder (the embedded database, the generated signing and encryption keys)
 * readable by the server's own user only: the folder {@code rwx------}, its files {@code rw-------}.
 * On file systems without POSIX permissions it does nothing. Stateless.
 */
final class DataFolder {
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {}

    /**
     * Creates the folder if missing, owner-only, and makes an existing one owner-only.
     *
     * @param folder the data folder
     * @throws IOException if it cannot be created or its permissions set
     */
    static void prepare(Path folder) throws IOException {
        Files.createDirectories(folder);
        if (posix(folder)) {
            Files.setPosixFilePermissions(folder, FOLDER);
        }
    }

    /**
     * Makes every regular file directly in the folder owner-only, such as the database files the
     * database created with the process's default permissions.
     *
     * @param folder the data folder
     * @throws IOException if a file's permissions cannot be set
     */
    static void restrictFiles(Path folder) throws IOException {
        if (!posix(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        }
    }

    private static boolean posix(Path folder) {
        return folder.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
