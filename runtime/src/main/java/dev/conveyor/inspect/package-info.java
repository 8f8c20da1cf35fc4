/**
 * What a consumer group has left to do, read from Kafka: per partition the end offset, the group's
 * committed offset, the lag, how long the oldest unprocessed record has waited, and in a delay tier
 * when the next record is due; the group's members and what each is assigned. {@link
 * dev.conveyor.inspect.QueueInspector} takes the snapshots ({@link dev.conveyor.inspect.GroupSnapshot});
 * {@link dev.conveyor.metrics.QueueMetrics} exports them as gauges, and an operator console can show them.
 */
package dev.conveyor.inspect;
