package dev.conveyor;

/** Apicurio's registry client runs on a Vert.x instance of its own, whose event-loop threads live until it is closed. */
final class RegistryClientThreads {

    private RegistryClientThreads() {
    }

    static long alive() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vert.x-eventloop-thread-")).count();
    }
}
