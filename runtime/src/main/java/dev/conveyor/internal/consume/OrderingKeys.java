package dev.conveyor.internal.consume;

import dev.conveyor.ConsumerSettings;
import dev.conveyor.OrderingMode;
import dev.conveyor.kafka.TaskHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Which chain of the {@link KeyedSequencer} a record waits in, by the {@link OrderingMode} of the
 * consumer or of the record's task type: its key within its partition, its partition, its type within
 * its partition, or none.
 */
final class OrderingKeys {

    private final ConsumerSettings settings;

    OrderingKeys(ConsumerSettings settings) {
        this.settings = settings;
    }

    /** The record's ordering key; null when it waits for nothing. */
    Object of(TopicPartition partition, ConsumerRecord<String, byte[]> raw) {
        if (settings.orderingByType().isEmpty()) {
            return of(settings.ordering(), partition, raw.key());
        }
        String type = TaskHeaders.type(raw.headers());
        OrderingMode mode = settings.orderingOf(type);
        // a type in partition order keeps a chain of its own, so it holds back only its own records
        return mode == OrderingMode.PARTITION && settings.orderingByType().containsKey(type)
                ? new PartitionType(partition, type) : of(mode, partition, raw.key());
    }

    private static Object of(OrderingMode mode, TopicPartition partition, String key) {
        return switch (mode) {
            case KEY -> key == null ? partition : new PartitionKey(partition, key);
            case PARTITION -> partition;
            case UNORDERED -> null;
        };
    }

    /** A key within its partition. Hashed once: a record's generated hashCode and equals ran per map operation, and showed in profiles. */
    private static final class PartitionKey {
        private final TopicPartition partition;
        private final String key;
        private final int hash;

        PartitionKey(TopicPartition partition, String key) {
            this.partition = partition;
            this.key = key;
            this.hash = 31 * partition.hashCode() + key.hashCode();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PartitionKey that && hash == that.hash && key.equals(that.key) && partition.equals(that.partition);
        }

        @Override
        public String toString() {
            return partition + "/" + key;
        }
    }

    private record PartitionType(TopicPartition partition, String type) {
    }
}
