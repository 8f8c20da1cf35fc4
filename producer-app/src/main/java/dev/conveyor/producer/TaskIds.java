package dev.conveyor.producer;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Task ids: time-ordered UUIDs (version 7, RFC 9562), the submission's millisecond followed by 74
 * random bits, so ids sort by submission time in logs and dead-letter listings. The random bits come
 * from {@link ThreadLocalRandom}: a task id names a task, it is not a secret (no endpoint looks a task
 * up by id), and {@code UUID.randomUUID()}'s {@code SecureRandom} read {@code /dev/urandom} under a
 * lock, 1.6% of the samples in a no-op benchmark profile.
 */
final class TaskIds {

    private TaskIds() {
    }

    static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
