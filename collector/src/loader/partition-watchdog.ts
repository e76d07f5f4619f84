// Which of a loader's partitions have stopped moving: records are in Kafka past the partition's
// checkpoint, and nothing of it arrived or was loaded for a while (a healthy partition loads what
// it has buffered within a flush interval). The consumer library can lose a fetch position the loader asked for (a fetch in flight
// when the loader rewinds a partition writes its own end position over the rewind), and a loader
// that only waited for the next record would then never load what it skipped. The loader rewinds
// such a partition to its checkpoint and says so in its log.

export interface PartitionProgress {
  readonly partition: number;
  /** The log end offset (one past the newest record). */
  readonly end: bigint;
  /** The first offset the partition's checkpoint says is not loaded. */
  readonly next: bigint;
  /** Since a record of the partition last arrived or a batch of it was loaded or skipped. */
  readonly idleMs: number;
}

export function stalledPartitions(progress: readonly PartitionProgress[], stallMs: number): PartitionProgress[] {
  return progress.filter((p) => p.end > p.next && p.idleMs >= stallMs);
}
