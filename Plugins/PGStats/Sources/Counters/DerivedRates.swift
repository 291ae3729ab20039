import PluginKit

/// The db_metrics_raw columns computed from counter deltas. A nil delta (first
/// sample, or the group was reset) sets them all to NULL, never to a value
/// computed across the reset.
enum DerivedRates {
    /// pg_stat_database: cache hit ratio and rates over the interval.
    static func database(_ d: CounterDelta?) -> [String: RowValue] {
        var hitRatio: Double?
        if let hit = d?.delta("blks_hit"), let read = d?.delta("blks_read"), hit + read > 0 {
            hitRatio = Double(hit) / Double(hit + read)
        }
        return [
            "cache_hit_ratio": .optionalDouble(hitRatio),
            "xact_commit_per_sec": .optionalDouble(d?.perSecond("xact_commit")),
            "xact_rollback_per_sec": .optionalDouble(d?.perSecond("xact_rollback")),
            "blks_read_per_sec": .optionalDouble(d?.perSecond("blks_read")),
            "tup_written_per_sec": .optionalDouble(d?.perSecond(sumOf: ["tup_inserted", "tup_updated", "tup_deleted"])),
            "temp_bytes_per_sec": .optionalDouble(d?.perSecond("temp_bytes")),
            "deadlocks_delta": .optionalInt(d?.delta("deadlocks")),
            "temp_files_delta": .optionalInt(d?.delta("temp_files")),
            "conflicts_delta": .optionalInt(d?.delta("conflicts")),
        ]
    }

    /// Checkpoints started since the previous sample.
    static func checkpointer(_ d: CounterDelta?) -> [String: RowValue] {
        [
            "checkpoints_timed_delta": .optionalInt(d?.delta("checkpoints_timed")),
            "checkpoints_req_delta": .optionalInt(d?.delta("checkpoints_req")),
        ]
    }

    /// WAL generated since the previous sample.
    static func wal(_ d: CounterDelta?) -> [String: RowValue] {
        [
            "wal_bytes_delta": .optionalInt(d?.delta("wal_bytes")),
            "wal_bytes_per_sec": .optionalDouble(d?.perSecond("wal_bytes")),
        ]
    }
}
