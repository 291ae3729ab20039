import PluginKit

/// The PGStats plugin owns its tables: `db_metrics_raw` and the pg_extended
/// tables, their rollup tables and their rollup declarations.
public enum PGStatsSchema {
    /// In order; applied after the core migrations, each once, recorded as
    /// "pg_stats/<name>". An applied migration never changes: a new column is a
    /// new migration appended here (ALTER TABLE ... ADD COLUMN, and for a rolled-up
    /// column its hourly/daily columns and `collector.rollup_column`).
    public static let migrations: [PluginMigration] = [
        PluginMigration(name: "001_tables", sql: #"""
-- pg_stats 001_tables: the app tick's db_metrics_raw and the pg_extended tick's
-- per-table, per-index, IO, replication, statement, database (xid age) and
-- replication-slot tables, their rollups, and the rollup declarations the host
-- derives them from. pg_stat view columns keep their PostgreSQL names so the
-- mapping is 1:1; PostgreSQL 17's pg_stat_checkpointer and renamed columns map
-- onto the same names (num_timed -> checkpoints_timed, shared_blk_read_time ->
-- blk_read_time_ms ...).

-- App-tick database stats (pg_stat_activity, pg_stat_database); the ALTER
-- below adds the bgwriter/checkpointer, WAL, wait-event and lock columns.
CREATE TABLE IF NOT EXISTS collector.db_metrics_raw (
  host                          TEXT NOT NULL,
  ts                            TIMESTAMPTZ NOT NULL DEFAULT now(),
  database_name                 TEXT,
  server_version_num            INTEGER,
  server_started_at             TIMESTAMPTZ,
  stats_reset                   TIMESTAMPTZ,
  max_connections               INTEGER,
  connections_total             INTEGER,
  connections_active            INTEGER,
  connections_idle              INTEGER,
  connections_idle_in_transaction INTEGER,
  connections_waiting           INTEGER,  -- waiting on a lock
  connections_used_pct          DOUBLE PRECISION,
  longest_xact_secs             DOUBLE PRECISION,
  longest_query_secs            DOUBLE PRECISION,
  -- pg_stat_database counters as read
  numbackends                   INTEGER,
  xact_commit                   BIGINT,
  xact_rollback                 BIGINT,
  blks_read                     BIGINT,
  blks_hit                      BIGINT,
  tup_returned                  BIGINT,
  tup_fetched                   BIGINT,
  tup_inserted                  BIGINT,
  tup_updated                   BIGINT,
  tup_deleted                   BIGINT,
  conflicts                     BIGINT,
  temp_files                    BIGINT,
  temp_bytes                    BIGINT,
  deadlocks                     BIGINT,
  database_size_bytes           BIGINT,
  -- derived, reset-aware (NULL on the priming sample or after a reset)
  cache_hit_ratio               DOUBLE PRECISION,
  xact_commit_per_sec           DOUBLE PRECISION,
  xact_rollback_per_sec         DOUBLE PRECISION,
  blks_read_per_sec             DOUBLE PRECISION,
  tup_written_per_sec           DOUBLE PRECISION,
  temp_bytes_per_sec            DOUBLE PRECISION,
  deadlocks_delta               BIGINT,
  temp_files_delta              BIGINT,
  conflicts_delta               BIGINT
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.db_metrics_raw_default
  PARTITION OF collector.db_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS db_metrics_raw_host_ts_idx
  ON collector.db_metrics_raw (host, ts DESC);

CREATE TABLE IF NOT EXISTS collector.db_metrics_hourly (
  host                                 TEXT NOT NULL,
  hour                                 TIMESTAMPTZ NOT NULL,
  sample_count                         INTEGER NOT NULL,
  connections_total_avg                DOUBLE PRECISION,
  connections_total_max                INTEGER,
  connections_total_min                INTEGER,
  connections_active_avg               DOUBLE PRECISION,
  connections_active_max               INTEGER,
  connections_idle_in_transaction_max  INTEGER,
  connections_waiting_avg              DOUBLE PRECISION,
  connections_waiting_max              INTEGER,
  connections_used_pct_max             DOUBLE PRECISION,
  cache_hit_ratio_avg                  DOUBLE PRECISION,
  cache_hit_ratio_max                  DOUBLE PRECISION,
  cache_hit_ratio_min                  DOUBLE PRECISION,
  xact_commit_per_sec_avg              DOUBLE PRECISION,
  xact_commit_per_sec_max              DOUBLE PRECISION,
  xact_rollback_per_sec_avg            DOUBLE PRECISION,
  xact_rollback_per_sec_max            DOUBLE PRECISION,
  blks_read_per_sec_avg                DOUBLE PRECISION,
  blks_read_per_sec_max                DOUBLE PRECISION,
  temp_bytes_delta                     BIGINT,
  deadlocks_delta                      BIGINT,
  conflicts_delta                      BIGINT,
  longest_xact_secs_max                DOUBLE PRECISION,
  database_size_bytes_max              BIGINT,
  PRIMARY KEY (host, hour)
);
CREATE INDEX IF NOT EXISTS db_metrics_hourly_hour_idx ON collector.db_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.db_metrics_daily (
  host                                 TEXT NOT NULL,
  day                                  DATE NOT NULL,
  sample_count                         INTEGER NOT NULL,
  connections_total_avg                DOUBLE PRECISION,
  connections_total_max                INTEGER,
  connections_total_min                INTEGER,
  connections_active_avg               DOUBLE PRECISION,
  connections_active_max               INTEGER,
  connections_idle_in_transaction_max  INTEGER,
  connections_waiting_avg              DOUBLE PRECISION,
  connections_waiting_max              INTEGER,
  connections_used_pct_max             DOUBLE PRECISION,
  cache_hit_ratio_avg                  DOUBLE PRECISION,
  cache_hit_ratio_max                  DOUBLE PRECISION,
  cache_hit_ratio_min                  DOUBLE PRECISION,
  xact_commit_per_sec_avg              DOUBLE PRECISION,
  xact_commit_per_sec_max              DOUBLE PRECISION,
  xact_rollback_per_sec_avg            DOUBLE PRECISION,
  xact_rollback_per_sec_max            DOUBLE PRECISION,
  blks_read_per_sec_avg                DOUBLE PRECISION,
  blks_read_per_sec_max                DOUBLE PRECISION,
  temp_bytes_delta                     BIGINT,
  deadlocks_delta                      BIGINT,
  conflicts_delta                      BIGINT,
  longest_xact_secs_max                DOUBLE PRECISION,
  database_size_bytes_max              BIGINT,
  PRIMARY KEY (host, day)
);
CREATE INDEX IF NOT EXISTS db_metrics_daily_day_idx ON collector.db_metrics_daily (day);

ALTER TABLE collector.db_metrics_raw
  -- pg_stat_bgwriter (buffers_backend* exist up to PG 16 only)
  ADD COLUMN IF NOT EXISTS buffers_clean               BIGINT,
  ADD COLUMN IF NOT EXISTS maxwritten_clean            BIGINT,
  ADD COLUMN IF NOT EXISTS buffers_alloc               BIGINT,
  ADD COLUMN IF NOT EXISTS buffers_backend             BIGINT,
  ADD COLUMN IF NOT EXISTS buffers_backend_fsync       BIGINT,
  -- checkpointer (pg_stat_bgwriter <= 16, pg_stat_checkpointer >= 17)
  ADD COLUMN IF NOT EXISTS checkpoints_timed           BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoints_req             BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoint_write_time_ms    DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS checkpoint_sync_time_ms     DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS buffers_checkpoint          BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoints_timed_delta     BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoints_req_delta       BIGINT,
  -- pg_stat_wal (PG 14+; NULL on 13)
  ADD COLUMN IF NOT EXISTS wal_records                 BIGINT,
  ADD COLUMN IF NOT EXISTS wal_fpi                     BIGINT,
  ADD COLUMN IF NOT EXISTS wal_bytes                   BIGINT,
  ADD COLUMN IF NOT EXISTS wal_buffers_full            BIGINT,
  ADD COLUMN IF NOT EXISTS wal_write                   BIGINT,
  ADD COLUMN IF NOT EXISTS wal_sync                    BIGINT,
  ADD COLUMN IF NOT EXISTS wal_bytes_per_sec           DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS wal_bytes_delta             BIGINT,
  -- pg_stat_activity wait events and pg_locks
  ADD COLUMN IF NOT EXISTS wait_event_type_counts      JSONB,
  ADD COLUMN IF NOT EXISTS locks_total                 INTEGER,
  ADD COLUMN IF NOT EXISTS locks_waiting               INTEGER,  -- NOT granted
  ADD COLUMN IF NOT EXISTS lock_mode_counts            JSONB;
COMMENT ON COLUMN collector.db_metrics_raw.wait_event_type_counts IS
  'backends by wait_event_type: {"Lock":2,"LWLock":0,"IO":1,"Client":5,...}';
COMMENT ON COLUMN collector.db_metrics_raw.lock_mode_counts IS
  'pg_locks by mode: {"AccessShareLock":10,"RowExclusiveLock":3,...}';

ALTER TABLE collector.db_metrics_hourly
  ADD COLUMN IF NOT EXISTS wal_bytes_per_sec_avg       DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS wal_bytes_per_sec_max       DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS wal_bytes_delta             BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoints_timed_delta     BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoints_req_delta       BIGINT,
  ADD COLUMN IF NOT EXISTS locks_waiting_max           INTEGER;
ALTER TABLE collector.db_metrics_daily
  ADD COLUMN IF NOT EXISTS wal_bytes_per_sec_avg       DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS wal_bytes_per_sec_max       DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS wal_bytes_delta             BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoints_timed_delta     BIGINT,
  ADD COLUMN IF NOT EXISTS checkpoints_req_delta       BIGINT,
  ADD COLUMN IF NOT EXISTS locks_waiting_max           INTEGER;

-- ---------------------------------------------------------------------------
-- Raw tables of the pg_extended tick (partitioned by day on ts)
-- ---------------------------------------------------------------------------

-- pg_stat_user_tables + sizes, one row per table per tick.
CREATE TABLE IF NOT EXISTS collector.table_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  database_name         TEXT,
  schema_name           TEXT NOT NULL,
  table_name            TEXT NOT NULL,
  n_live_tup            BIGINT,
  n_dead_tup            BIGINT,
  dead_tup_ratio        DOUBLE PRECISION,  -- n_dead_tup / n_live_tup
  seq_scan              BIGINT,
  seq_tup_read          BIGINT,
  idx_scan              BIGINT,
  idx_tup_fetch         BIGINT,
  n_tup_ins             BIGINT,
  n_tup_upd             BIGINT,
  n_tup_del             BIGINT,
  n_tup_hot_upd         BIGINT,
  n_mod_since_analyze   BIGINT,
  n_ins_since_vacuum    BIGINT,
  last_vacuum           TIMESTAMPTZ,
  last_autovacuum       TIMESTAMPTZ,
  last_analyze          TIMESTAMPTZ,
  last_autoanalyze      TIMESTAMPTZ,
  vacuum_count          BIGINT,
  autovacuum_count      BIGINT,
  analyze_count         BIGINT,
  autoanalyze_count     BIGINT,
  table_size_bytes      BIGINT,            -- pg_table_size: heap + toast
  indexes_size_bytes    BIGINT,
  total_size_bytes      BIGINT,
  relfrozenxid_age      BIGINT
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.table_metrics_raw_default
  PARTITION OF collector.table_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS table_metrics_raw_host_ts_idx
  ON collector.table_metrics_raw (host, ts DESC);

-- pg_stat_user_indexes + pg_relation_size + a bloat estimate.
CREATE TABLE IF NOT EXISTS collector.index_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  database_name         TEXT,
  schema_name           TEXT NOT NULL,
  table_name            TEXT NOT NULL,
  index_name            TEXT NOT NULL,
  idx_scan              BIGINT,
  idx_tup_read          BIGINT,
  idx_tup_fetch         BIGINT,
  last_idx_scan         TIMESTAMPTZ,       -- PG 16+
  index_size_bytes      BIGINT,
  bloat_bytes           BIGINT,            -- estimate
  bloat_pct             DOUBLE PRECISION,
  is_unique             BOOLEAN,
  is_primary            BOOLEAN,
  is_valid              BOOLEAN
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.index_metrics_raw_default
  PARTITION OF collector.index_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS index_metrics_raw_host_ts_idx
  ON collector.index_metrics_raw (host, ts DESC);

-- pg_statio_user_tables.
CREATE TABLE IF NOT EXISTS collector.io_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  database_name         TEXT,
  schema_name           TEXT NOT NULL,
  table_name            TEXT NOT NULL,
  heap_blks_read        BIGINT,
  heap_blks_hit         BIGINT,
  idx_blks_read         BIGINT,
  idx_blks_hit          BIGINT,
  toast_blks_read       BIGINT,
  toast_blks_hit        BIGINT,
  tidx_blks_read        BIGINT,
  tidx_blks_hit         BIGINT,
  heap_hit_ratio        DOUBLE PRECISION   -- of the counters as read
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.io_metrics_raw_default
  PARTITION OF collector.io_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS io_metrics_raw_host_ts_idx
  ON collector.io_metrics_raw (host, ts DESC);

-- pg_stat_replication, one row per walsender. LSNs as pg_lsn so lag in bytes
-- is plain subtraction.
CREATE TABLE IF NOT EXISTS collector.replication_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  pid                   INTEGER,
  usename               TEXT,
  application_name      TEXT,
  client_addr           TEXT,              -- text, not inet: NULL/odd values never fail a batch
  state                 TEXT,
  sync_state            TEXT,
  sync_priority         INTEGER,
  sent_lsn              PG_LSN,
  write_lsn             PG_LSN,
  flush_lsn             PG_LSN,
  replay_lsn            PG_LSN,
  write_lag_ms          DOUBLE PRECISION,
  flush_lag_ms          DOUBLE PRECISION,
  replay_lag_ms         DOUBLE PRECISION,
  replay_lag_bytes      BIGINT,            -- pg_current_wal_lsn() - replay_lsn
  backend_start         TIMESTAMPTZ,
  reply_time            TIMESTAMPTZ
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.replication_metrics_raw_default
  PARTITION OF collector.replication_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS replication_metrics_raw_host_ts_idx
  ON collector.replication_metrics_raw (host, ts DESC);

-- pg_replication_slots: a stuck slot retains WAL without bound.
CREATE TABLE IF NOT EXISTS collector.replication_slot_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  slot_name             TEXT NOT NULL,
  slot_type             TEXT,              -- physical | logical
  plugin                TEXT,
  database_name         TEXT,
  active                BOOLEAN,
  active_pid            INTEGER,
  temporary             BOOLEAN,
  wal_status            TEXT,              -- reserved | extended | unreserved | lost
  restart_lsn           PG_LSN,
  confirmed_flush_lsn   PG_LSN,
  retained_wal_bytes    BIGINT,            -- pg_current_wal_lsn() - restart_lsn
  safe_wal_size_bytes   BIGINT,
  xmin_age              BIGINT,
  catalog_xmin_age      BIGINT
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.replication_slot_metrics_raw_default
  PARTITION OF collector.replication_slot_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS replication_slot_metrics_raw_host_ts_idx
  ON collector.replication_slot_metrics_raw (host, ts DESC);

-- Per database of the cluster (pg_database): wraparound and size.
CREATE TABLE IF NOT EXISTS collector.database_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  database_name         TEXT NOT NULL,
  xid_age               BIGINT,            -- age(datfrozenxid)
  mxid_age              BIGINT,            -- mxid_age(datminmxid)
  xid_wraparound_pct    DOUBLE PRECISION,  -- xid_age / 2^31 * 100
  database_size_bytes   BIGINT,
  numbackends           INTEGER,
  datallowconn          BOOLEAN
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.database_metrics_raw_default
  PARTITION OF collector.database_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS database_metrics_raw_host_ts_idx
  ON collector.database_metrics_raw (host, ts DESC);

-- pg_stat_statements top N by total time. Times in ms as the view reports them.
CREATE TABLE IF NOT EXISTS collector.statement_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  rank                  INTEGER,           -- 1 = highest total time this sample
  database_name         TEXT,
  username              TEXT,
  queryid               BIGINT,
  toplevel              BOOLEAN,           -- PG 14+
  query                 TEXT,
  calls                 BIGINT,
  rows                  BIGINT,
  total_exec_time_ms    DOUBLE PRECISION,
  mean_exec_time_ms     DOUBLE PRECISION,
  min_exec_time_ms      DOUBLE PRECISION,
  max_exec_time_ms      DOUBLE PRECISION,
  stddev_exec_time_ms   DOUBLE PRECISION,
  total_plan_time_ms    DOUBLE PRECISION,
  shared_blks_hit       BIGINT,
  shared_blks_read      BIGINT,
  shared_blks_dirtied   BIGINT,
  shared_blks_written   BIGINT,
  local_blks_hit        BIGINT,
  local_blks_read       BIGINT,
  temp_blks_read        BIGINT,
  temp_blks_written     BIGINT,
  blk_read_time_ms      DOUBLE PRECISION,  -- shared_blk_read_time on PG 17
  blk_write_time_ms     DOUBLE PRECISION,
  wal_bytes             BIGINT
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.statement_metrics_raw_default
  PARTITION OF collector.statement_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS statement_metrics_raw_host_ts_idx
  ON collector.statement_metrics_raw (host, ts DESC);

-- ---------------------------------------------------------------------------
-- Rollups. Keys use '' for an unknown name (NULL cannot be in a primary key;
-- the rollup writes COALESCE(col, '')).
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS collector.table_metrics_hourly (
  host                  TEXT NOT NULL,
  hour                  TIMESTAMPTZ NOT NULL,
  database_name         TEXT NOT NULL DEFAULT '',
  schema_name           TEXT NOT NULL,
  table_name            TEXT NOT NULL,
  sample_count          INTEGER NOT NULL,
  n_live_tup_avg        DOUBLE PRECISION,
  n_live_tup_max        BIGINT,
  n_live_tup_min        BIGINT,
  n_dead_tup_avg        DOUBLE PRECISION,
  n_dead_tup_max        BIGINT,
  n_dead_tup_min        BIGINT,
  dead_tup_ratio_avg    DOUBLE PRECISION,
  dead_tup_ratio_max    DOUBLE PRECISION,
  dead_tup_ratio_min    DOUBLE PRECISION,
  seq_scan_delta        BIGINT,
  seq_tup_read_delta    BIGINT,
  idx_scan_delta        BIGINT,
  idx_tup_fetch_delta   BIGINT,
  n_tup_ins_delta       BIGINT,
  n_tup_upd_delta       BIGINT,
  n_tup_del_delta       BIGINT,
  n_tup_hot_upd_delta   BIGINT,
  vacuum_delta          BIGINT,
  autovacuum_delta      BIGINT,
  total_size_bytes_avg  DOUBLE PRECISION,
  total_size_bytes_max  BIGINT,
  total_size_bytes_min  BIGINT,
  PRIMARY KEY (host, hour, database_name, schema_name, table_name)
);
CREATE INDEX IF NOT EXISTS table_metrics_hourly_hour_idx ON collector.table_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.table_metrics_daily (
  host                  TEXT NOT NULL,
  day                   DATE NOT NULL,
  database_name         TEXT NOT NULL DEFAULT '',
  schema_name           TEXT NOT NULL,
  table_name            TEXT NOT NULL,
  sample_count          INTEGER NOT NULL,
  n_live_tup_avg        DOUBLE PRECISION,
  n_live_tup_max        BIGINT,
  n_live_tup_min        BIGINT,
  n_dead_tup_avg        DOUBLE PRECISION,
  n_dead_tup_max        BIGINT,
  n_dead_tup_min        BIGINT,
  dead_tup_ratio_avg    DOUBLE PRECISION,
  dead_tup_ratio_max    DOUBLE PRECISION,
  dead_tup_ratio_min    DOUBLE PRECISION,
  seq_scan_delta        BIGINT,
  seq_tup_read_delta    BIGINT,
  idx_scan_delta        BIGINT,
  idx_tup_fetch_delta   BIGINT,
  n_tup_ins_delta       BIGINT,
  n_tup_upd_delta       BIGINT,
  n_tup_del_delta       BIGINT,
  n_tup_hot_upd_delta   BIGINT,
  vacuum_delta          BIGINT,
  autovacuum_delta      BIGINT,
  total_size_bytes_avg  DOUBLE PRECISION,
  total_size_bytes_max  BIGINT,
  total_size_bytes_min  BIGINT,
  PRIMARY KEY (host, day, database_name, schema_name, table_name)
);
CREATE INDEX IF NOT EXISTS table_metrics_daily_day_idx ON collector.table_metrics_daily (day);

CREATE TABLE IF NOT EXISTS collector.io_metrics_hourly (
  host                   TEXT NOT NULL,
  hour                   TIMESTAMPTZ NOT NULL,
  database_name          TEXT NOT NULL DEFAULT '',
  schema_name            TEXT NOT NULL,
  table_name             TEXT NOT NULL,
  sample_count           INTEGER NOT NULL,
  heap_blks_read_delta   BIGINT,
  heap_blks_hit_delta    BIGINT,
  idx_blks_read_delta    BIGINT,
  idx_blks_hit_delta     BIGINT,
  toast_blks_read_delta  BIGINT,
  toast_blks_hit_delta   BIGINT,
  tidx_blks_read_delta   BIGINT,
  tidx_blks_hit_delta    BIGINT,
  heap_hit_ratio_avg     DOUBLE PRECISION,
  heap_hit_ratio_min     DOUBLE PRECISION,
  PRIMARY KEY (host, hour, database_name, schema_name, table_name)
);
CREATE INDEX IF NOT EXISTS io_metrics_hourly_hour_idx ON collector.io_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.io_metrics_daily (
  host                   TEXT NOT NULL,
  day                    DATE NOT NULL,
  database_name          TEXT NOT NULL DEFAULT '',
  schema_name            TEXT NOT NULL,
  table_name             TEXT NOT NULL,
  sample_count           INTEGER NOT NULL,
  heap_blks_read_delta   BIGINT,
  heap_blks_hit_delta    BIGINT,
  idx_blks_read_delta    BIGINT,
  idx_blks_hit_delta     BIGINT,
  toast_blks_read_delta  BIGINT,
  toast_blks_hit_delta   BIGINT,
  tidx_blks_read_delta   BIGINT,
  tidx_blks_hit_delta    BIGINT,
  heap_hit_ratio_avg     DOUBLE PRECISION,
  heap_hit_ratio_min     DOUBLE PRECISION,
  PRIMARY KEY (host, day, database_name, schema_name, table_name)
);
CREATE INDEX IF NOT EXISTS io_metrics_daily_day_idx ON collector.io_metrics_daily (day);

CREATE TABLE IF NOT EXISTS collector.index_metrics_hourly (
  host                  TEXT NOT NULL,
  hour                  TIMESTAMPTZ NOT NULL,
  database_name         TEXT NOT NULL DEFAULT '',
  schema_name           TEXT NOT NULL,
  index_name            TEXT NOT NULL,
  sample_count          INTEGER NOT NULL,
  table_name            TEXT,
  idx_scan_delta        BIGINT,
  idx_tup_read_delta    BIGINT,
  idx_tup_fetch_delta   BIGINT,
  index_size_bytes_avg  DOUBLE PRECISION,
  index_size_bytes_max  BIGINT,
  bloat_pct_avg         DOUBLE PRECISION,
  bloat_pct_max         DOUBLE PRECISION,
  PRIMARY KEY (host, hour, database_name, schema_name, index_name)
);
CREATE INDEX IF NOT EXISTS index_metrics_hourly_hour_idx ON collector.index_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.replication_metrics_hourly (
  host                  TEXT NOT NULL,
  hour                  TIMESTAMPTZ NOT NULL,
  application_name      TEXT NOT NULL DEFAULT '',
  client_addr           TEXT NOT NULL DEFAULT '',
  sample_count          INTEGER NOT NULL,
  write_lag_ms_avg      DOUBLE PRECISION,
  write_lag_ms_max      DOUBLE PRECISION,
  flush_lag_ms_avg      DOUBLE PRECISION,
  flush_lag_ms_max      DOUBLE PRECISION,
  replay_lag_ms_avg     DOUBLE PRECISION,
  replay_lag_ms_max     DOUBLE PRECISION,
  replay_lag_ms_min     DOUBLE PRECISION,
  replay_lag_bytes_avg  DOUBLE PRECISION,
  replay_lag_bytes_max  BIGINT,
  streaming_samples     INTEGER,
  PRIMARY KEY (host, hour, application_name, client_addr)
);
CREATE INDEX IF NOT EXISTS replication_metrics_hourly_hour_idx ON collector.replication_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.statement_metrics_hourly (
  host                       TEXT NOT NULL,
  hour                       TIMESTAMPTZ NOT NULL,
  database_name              TEXT NOT NULL DEFAULT '',
  username                   TEXT NOT NULL DEFAULT '',
  queryid                    BIGINT NOT NULL,
  toplevel                   BOOLEAN NOT NULL DEFAULT true,
  sample_count               INTEGER NOT NULL,
  query                      TEXT,
  calls_delta                BIGINT,
  rows_delta                 BIGINT,
  total_exec_time_ms_delta   DOUBLE PRECISION,
  mean_exec_time_ms_avg      DOUBLE PRECISION,
  mean_exec_time_ms_max      DOUBLE PRECISION,
  max_exec_time_ms_max       DOUBLE PRECISION,
  shared_blks_hit_delta      BIGINT,
  shared_blks_read_delta     BIGINT,
  shared_blks_dirtied_delta  BIGINT,
  temp_blks_written_delta    BIGINT,
  PRIMARY KEY (host, hour, database_name, username, queryid, toplevel)
);
CREATE INDEX IF NOT EXISTS statement_metrics_hourly_hour_idx ON collector.statement_metrics_hourly (hour);


-- ---------------------------------------------------------------------------
-- Rollup declarations (collector.declare_rollup, migrations/005_rollups.sql).
-- Keys use '' for an unknown name (NULL cannot be in a primary key).
-- ---------------------------------------------------------------------------

SELECT collector.declare_rollup('db_metrics_raw', 'db_metrics_hourly', 'db_metrics_daily', 'pg_stats');
SELECT collector.rollup_column('db_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_stats('db_metrics_hourly', 'connections_total', 'avg', 'max', 'min');
SELECT collector.rollup_stats('db_metrics_hourly', 'connections_active', 'avg', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'connections_idle_in_transaction', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'connections_waiting', 'avg', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'connections_used_pct', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'cache_hit_ratio', 'avg', 'max', 'min');
SELECT collector.rollup_stats('db_metrics_hourly', 'xact_commit_per_sec', 'avg', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'xact_rollback_per_sec', 'avg', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'blks_read_per_sec', 'avg', 'max');
SELECT collector.rollup_column('db_metrics_hourly', 'temp_bytes_delta', 'increase', 'r.temp_bytes');
SELECT collector.rollup_column('db_metrics_hourly', 'deadlocks_delta', 'increase', 'r.deadlocks');
SELECT collector.rollup_column('db_metrics_hourly', 'conflicts_delta', 'increase', 'r.conflicts');
SELECT collector.rollup_stats('db_metrics_hourly', 'longest_xact_secs', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'database_size_bytes', 'max');
SELECT collector.rollup_stats('db_metrics_hourly', 'wal_bytes_per_sec', 'avg', 'max');
SELECT collector.rollup_column('db_metrics_hourly', 'wal_bytes_delta', 'increase', 'r.wal_bytes');
SELECT collector.rollup_column('db_metrics_hourly', 'checkpoints_timed_delta', 'increase', 'r.checkpoints_timed');
SELECT collector.rollup_column('db_metrics_hourly', 'checkpoints_req_delta', 'increase', 'r.checkpoints_req');
SELECT collector.rollup_stats('db_metrics_hourly', 'locks_waiting', 'max');
SELECT collector.check_rollup('db_metrics_hourly');

SELECT collector.declare_rollup('table_metrics_raw', 'table_metrics_hourly', 'table_metrics_daily', 'pg_stats',
  ARRAY['database_name', 'schema_name', 'table_name'], ARRAY[$$coalesce(r.database_name, '')$$, 'r.schema_name', 'r.table_name']);
SELECT collector.rollup_column('table_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_stats('table_metrics_hourly', 'n_live_tup', 'avg', 'max', 'min');
SELECT collector.rollup_stats('table_metrics_hourly', 'n_dead_tup', 'avg', 'max', 'min');
SELECT collector.rollup_stats('table_metrics_hourly', 'dead_tup_ratio', 'avg', 'max', 'min');
SELECT collector.rollup_column('table_metrics_hourly', c || '_delta', 'increase', 'r.' || c)
FROM unnest(ARRAY['seq_scan', 'seq_tup_read', 'idx_scan', 'idx_tup_fetch', 'n_tup_ins', 'n_tup_upd', 'n_tup_del', 'n_tup_hot_upd']) c;
SELECT collector.rollup_column('table_metrics_hourly', 'vacuum_delta', 'increase', 'r.vacuum_count');
SELECT collector.rollup_column('table_metrics_hourly', 'autovacuum_delta', 'increase', 'r.autovacuum_count');
SELECT collector.rollup_stats('table_metrics_hourly', 'total_size_bytes', 'avg', 'max', 'min');
SELECT collector.check_rollup('table_metrics_hourly');

SELECT collector.declare_rollup('io_metrics_raw', 'io_metrics_hourly', 'io_metrics_daily', 'pg_stats',
  ARRAY['database_name', 'schema_name', 'table_name'], ARRAY[$$coalesce(r.database_name, '')$$, 'r.schema_name', 'r.table_name']);
SELECT collector.rollup_column('io_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_column('io_metrics_hourly', c || '_delta', 'increase', 'r.' || c)
FROM unnest(ARRAY['heap_blks_read', 'heap_blks_hit', 'idx_blks_read', 'idx_blks_hit',
                  'toast_blks_read', 'toast_blks_hit', 'tidx_blks_read', 'tidx_blks_hit']) c;
SELECT collector.rollup_stats('io_metrics_hourly', 'heap_hit_ratio', 'avg', 'min');
SELECT collector.check_rollup('io_metrics_hourly');

SELECT collector.declare_rollup('index_metrics_raw', 'index_metrics_hourly', NULL, 'pg_stats',
  ARRAY['database_name', 'schema_name', 'index_name'], ARRAY[$$coalesce(r.database_name, '')$$, 'r.schema_name', 'r.index_name']);
SELECT collector.rollup_column('index_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_column('index_metrics_hourly', 'table_name', 'max', 'r.table_name');
SELECT collector.rollup_column('index_metrics_hourly', c || '_delta', 'increase', 'r.' || c)
FROM unnest(ARRAY['idx_scan', 'idx_tup_read', 'idx_tup_fetch']) c;
SELECT collector.rollup_stats('index_metrics_hourly', 'index_size_bytes', 'avg', 'max');
SELECT collector.rollup_stats('index_metrics_hourly', 'bloat_pct', 'avg', 'max');
SELECT collector.check_rollup('index_metrics_hourly');

SELECT collector.declare_rollup('replication_metrics_raw', 'replication_metrics_hourly', NULL, 'pg_stats',
  ARRAY['application_name', 'client_addr'], ARRAY[$$coalesce(r.application_name, '')$$, $$coalesce(r.client_addr, '')$$]);
SELECT collector.rollup_column('replication_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_stats('replication_metrics_hourly', 'write_lag_ms', 'avg', 'max');
SELECT collector.rollup_stats('replication_metrics_hourly', 'flush_lag_ms', 'avg', 'max');
SELECT collector.rollup_stats('replication_metrics_hourly', 'replay_lag_ms', 'avg', 'max', 'min');
SELECT collector.rollup_stats('replication_metrics_hourly', 'replay_lag_bytes', 'avg', 'max');
SELECT collector.rollup_column('replication_metrics_hourly', 'streaming_samples', 'count_if', $$r.state = 'streaming'$$);
SELECT collector.check_rollup('replication_metrics_hourly');

-- pg_stat_statements top N; rows without a queryid are not rolled up.
SELECT collector.declare_rollup('statement_metrics_raw', 'statement_metrics_hourly', NULL, 'pg_stats',
  ARRAY['database_name', 'username', 'queryid', 'toplevel'],
  ARRAY[$$coalesce(r.database_name, '')$$, $$coalesce(r.username, '')$$, 'r.queryid', 'coalesce(r.toplevel, true)'],
  'r.queryid IS NOT NULL');
SELECT collector.rollup_column('statement_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_column('statement_metrics_hourly', 'query', 'last', 'r.query');
SELECT collector.rollup_column('statement_metrics_hourly', c || '_delta', 'increase', 'r.' || c)
FROM unnest(ARRAY['calls', 'rows', 'total_exec_time_ms', 'shared_blks_hit', 'shared_blks_read',
                  'shared_blks_dirtied', 'temp_blks_written']) c;
SELECT collector.rollup_stats('statement_metrics_hourly', 'mean_exec_time_ms', 'avg', 'max');
SELECT collector.rollup_stats('statement_metrics_hourly', 'max_exec_time_ms', 'max');
SELECT collector.check_rollup('statement_metrics_hourly');
"""#),
    ]
}
