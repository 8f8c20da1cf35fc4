package dev.conveyor.internal.consume;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs work with the same ordering key one after another, in submission order, and work with
 * different keys concurrently. A key that is held has a chain with the work waiting for it; a key
 * nobody holds has none, so memory is bounded by the work in flight, not by the number of keys ever
 * seen. Work holds its key from {@link Sequenced#start} until it calls {@link #release}: a chain of
 * futures did this before, and its futures and continuations, several per record, were a measured
 * share of the consumer's allocation and stayed alive while records waited behind a slow key.
 */
final class KeyedSequencer {

    /** Work that holds its key from {@link #start} until it calls {@link KeyedSequencer#release} with it. */
    @FunctionalInterface
    interface Sequenced {
        /** Must not block: it runs on the thread that submitted it or on the one that released the key. */
        void start();
    }

    private final ConcurrentHashMap<Object, Chain> chains = new ConcurrentHashMap<>();

    /** Starts {@code work} now if nobody holds {@code key}, else once every earlier work of the key released it; a null key means no ordering. */
    void submit(Object key, Sequenced work) {
        if (key == null) {
            work.start();
            return;
        }
        while (true) {
            Chain chain = chains.get(key);
            if (chain == null) {
                Chain fresh = new Chain();
                chain = chains.putIfAbsent(key, fresh);
                if (chain == null) {
                    begin(key, work);
                    return;
                }
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

    /** The holder of {@code key} is done with it: the next work of the key starts on this thread. */
    void release(Object key) {
        Sequenced next = passOn(key);
        if (next != null) {
            begin(key, next);
        }
    }

    int activeKeys() {
        return chains.size();
    }

    /** Work that throws from {@code start} never releases its key, so it is passed on here instead of stalling the key. */
    private void begin(Object key, Sequenced work) {
        Sequenced next = work;
        while (next != null) {
            try {
                next.start();
                return;
            } catch (RuntimeException e) {
                next = passOn(key);
            }
        }
    }

    private Sequenced passOn(Object key) {
        Chain chain = chains.get(key);
        if (chain == null) {
            throw new IllegalStateException("released a key nobody holds: " + key);
        }
        synchronized (chain) {
            Sequenced next = chain.waiting == null ? null : chain.waiting.poll();
            if (next == null) {
                chain.released = true;
                chains.remove(key, chain);
            }
            return next;
        }
    }

    /** The work waiting for a held key; guarded by itself. */
    private static final class Chain {
        private ArrayDeque<Sequenced> waiting;
        private boolean released;

        ArrayDeque<Sequenced> waiting() {
            if (waiting == null) {
                waiting = new ArrayDeque<>(4);
            }
            return waiting;
        }
    }
}
