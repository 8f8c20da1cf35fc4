package dev.conveyor.internal.consume;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs work with the same ordering key one after another, in submission order, and work with
 * different keys concurrently. A key that is held has a chain with the work waiting for it; a key
 * nobody holds has none, so memory is bounded by the work in flight, not by the number of keys ever
 * seen. Work holds its key from {@link Sequenced#start} until it calls {@link Held#release}: a queue
 * entry per waiting work, not futures and continuations, since every record goes through here and
 * records waiting behind a slow key stay alive across young collections.
 */
final class KeyedSequencer {

    /** Work that holds its key from {@link #start} until it calls {@link Held#release}. */
    @FunctionalInterface
    interface Sequenced {
        /** Must not block: it runs on the thread that submitted it or on the one that released the key. */
        void start(Held key);
    }

    /** A key held by one work; released once, by that work. */
    interface Held {
        void release();
    }

    /** What work without a key holds: nothing waits for it. */
    private static final Held NOTHING = () -> { };

    private final ConcurrentHashMap<Object, Chain> chains = new ConcurrentHashMap<>();

    /** Starts {@code work} now if nobody holds {@code key}, else once every earlier work of the key released it; a null key means no ordering. */
    void submit(Object key, Sequenced work) {
        if (key == null) {
            work.start(NOTHING);
            return;
        }
        Chain fresh = new Chain(key);
        while (true) {
            Chain chain = chains.putIfAbsent(key, fresh);
            if (chain == null) {
                fresh.begin(work);
                return;
            }
            synchronized (chain) {
                if (!chain.released) {
                    chain.waiting().add(work);
                    return;
                }
            }
            // its last holder released it between our lookup and our lock: the key is free again
        }
    }

    int activeKeys() {
        return chains.size();
    }

    /** A held key and the work waiting for it; guarded by itself. */
    private final class Chain implements Held {
        private final Object key;
        private ArrayDeque<Sequenced> waiting;
        private boolean released;
        // how often the key was passed on: tells whether a work that threw from start had released it first
        // (written under the lock, read without it)
        private volatile long passes;

        Chain(Object key) {
            this.key = key;
        }

        ArrayDeque<Sequenced> waiting() {
            if (waiting == null) {
                waiting = new ArrayDeque<>(4);
            }
            return waiting;
        }

        /** The next work of the key starts on this thread. */
        @Override
        public void release() {
            Sequenced next = passOn();
            if (next != null) {
                begin(next);
            }
        }

        /**
         * Work that throws from {@code start} without releasing its key would stall the key, so the key is
         * passed on here instead; if it released the key before it threw, the key is someone else's by now.
         */
        void begin(Sequenced work) {
            Sequenced next = work;
            while (next != null) {
                long before = passes;
                try {
                    next.start(this);
                    return;
                } catch (RuntimeException e) {
                    next = passes == before ? passOn() : null;
                }
            }
        }

        private synchronized Sequenced passOn() {
            passes++;
            Sequenced next = waiting == null ? null : waiting.poll();
            if (next == null) {
                released = true;
                chains.remove(key, this);
            }
            return next;
        }
    }
}
