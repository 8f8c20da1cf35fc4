package dev.conveyor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The machine's cores, shared between the fault tests that the module's Failsafe forks run at once. A
 * test class that measures how fast something recovers has them to itself (an exclusive lock on a file
 * every fork opens); the others share them. The lock is taken when the test class starts, before its
 * stack or apps start, and released after it; a fork that ends releases what it held.
 */
final class MachineShare implements AfterAllCallback {

    private static final Path LOCK_FILE = Path.of("target", "fault-machine.lock");
    /** What this JVM holds: a test class runs at a time in a fork. */
    private static FileChannel channel;
    private static FileLock held;

    private MachineShare() {
    }

    /** Waits until no class that measures recovery runs in another fork, and keeps any from starting. */
    static MachineShare shared() {
        acquire(true);
        return new MachineShare();
    }

    /** Waits until no other fault test runs in another fork, and keeps any from starting. */
    static MachineShare exclusive() {
        acquire(false);
        return new MachineShare();
    }

    private static synchronized void acquire(boolean shared) {
        // a class that failed before its afterAll leaves its lock behind: this JVM may not wait on itself
        release();
        try {
            Files.createDirectories(LOCK_FILE.getParent());
            channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            held = channel.lock(0, Long.MAX_VALUE, shared);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock " + LOCK_FILE, e);
        }
    }

    private static synchronized void release() {
        try {
            if (held != null) {
                held.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not release " + LOCK_FILE, e);
        } finally {
            held = null;
            channel = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        release();
    }
}
