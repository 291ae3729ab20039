/// The background writer's and checkpointer's counters. Up to 16 they are all
/// in `pg_stat_bgwriter`; 17 moved the checkpointer's into
/// `pg_stat_checkpointer` under new names and dropped buffers_backend(_fsync)
/// (now in pg_stat_io), which are then NULL.
struct BackgroundWriterQuery: TierQuery {
    var tier: StatsTier { .backgroundWriter }

    /// Counters with a *_delta column, reset together with `checkpointer_stats_reset`.
    static let counters = ["checkpoints_timed", "checkpoints_req"]

    func sql(for facts: ServerFacts) -> TierSQL {
        if facts.version.hasCheckpointerView {
            return .statement("""
                SELECT b.buffers_clean, b.maxwritten_clean, b.buffers_alloc,
                       NULL::int8 AS buffers_backend, NULL::int8 AS buffers_backend_fsync,
                       c.num_timed AS checkpoints_timed, c.num_requested AS checkpoints_req,
                       c.write_time AS checkpoint_write_time_ms, c.sync_time AS checkpoint_sync_time_ms,
                       c.buffers_written AS buffers_checkpoint,
                       \(SQLText.micros("c.stats_reset", as: "checkpointer_stats_reset"))
                  FROM pg_stat_bgwriter b CROSS JOIN pg_stat_checkpointer c
                """)
        }
        return .statement("""
            SELECT buffers_clean, maxwritten_clean, buffers_alloc, buffers_backend, buffers_backend_fsync,
                   checkpoints_timed, checkpoints_req,
                   checkpoint_write_time AS checkpoint_write_time_ms, checkpoint_sync_time AS checkpoint_sync_time_ms,
                   buffers_checkpoint,
                   \(SQLText.micros("stats_reset", as: "checkpointer_stats_reset"))
              FROM pg_stat_bgwriter
            """)
    }
}
