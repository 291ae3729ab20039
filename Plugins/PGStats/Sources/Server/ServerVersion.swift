/// The server's `server_version_num` (150018 for 15.18) and what each release
/// renamed or added among the views the plugin reads.
struct ServerVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    let number: Int

    init(_ number: Int) { self.number = number }

    var major: Int { number / 10000 }
    var description: String { "\(major) (\(number))" }

    /// `pg_stat_wal` exists from 14.
    var hasWALView: Bool { number >= 140000 }
    /// 17 moved the checkpointer's counters from `pg_stat_bgwriter` to
    /// `pg_stat_checkpointer` (num_timed, num_requested, write_time, ...) and
    /// dropped buffers_backend / buffers_backend_fsync.
    var hasCheckpointerView: Bool { number >= 170000 }
    /// `pg_stat_user_indexes.last_idx_scan` exists from 16.
    var hasLastIndexScan: Bool { number >= 160000 }
    /// 18 moved wal_write / wal_sync out of `pg_stat_wal` (into pg_stat_io).
    var walViewHasWriteAndSync: Bool { number < 180000 }

    static func < (a: ServerVersion, b: ServerVersion) -> Bool { a.number < b.number }
}
