package dev.conveyor.internal.route;

import dev.conveyor.retry.RetryHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a record's task or delivery first entered its pipeline: the position its first retry recorded
 * in the retry headers, or, for a record that has not been retried (a first attempt, a replay, a
 * result), the record's own. Retries, delay hops and dead letters of every app name it by this one rule.
 */
record OriginalPosition(String topic, int partition, long offset) {

    static OriginalPosition of(ConsumerRecord<String, ?> record) {
        String topic = RetryHeaders.text(record.headers(), RetryHeaders.ORIGINAL_TOPIC);
        String partition = RetryHeaders.text(record.headers(), RetryHeaders.ORIGINAL_PARTITION);
        String offset = RetryHeaders.text(record.headers(), RetryHeaders.ORIGINAL_OFFSET);
        if (topic != null && partition != null && offset != null) {
            try {
                return new OriginalPosition(topic, Integer.parseInt(partition), Long.parseLong(offset));
            } catch (NumberFormatException malformed) {
                // a position we cannot read names the record itself
            }
        }
        return new OriginalPosition(record.topic(), record.partition(), record.offset());
    }
}
