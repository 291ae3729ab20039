import PluginKit

/// The SystemMetrics plugin owns its tables: `system_metrics_raw`,
/// `process_metrics_raw`, their hourly and daily rollup tables, and the rollup
/// declarations from which the host builds the rollup statements.
public enum SystemSchema {
    /// In order; applied after the core migrations, each once, recorded as
    /// "system_metrics/<name>". An applied migration never changes: a new column is a
    /// new migration appended here (ALTER TABLE ... ADD COLUMN, and for a rolled-up
    /// column its hourly/daily columns and `collector.rollup_column`).
    public static let migrations: [PluginMigration] = [
        PluginMigration(name: "001_tables", sql: #"""
-- system_metrics 001_tables: the sys tick's tables (system_metrics_raw, one row
-- per sample; process_metrics_raw, one row per watched name), their hourly
-- and daily rollups, and the rollup declarations the host derives them from.
-- ---------------------------------------------------------------------------
-- Raw metric tables (partitioned by day on ts)
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS collector.system_metrics_raw (
  host                      TEXT NOT NULL,
  ts                        TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- CPU, aggregate over all cores, delta-based from /proc/stat
  cpu_count                 INTEGER,
  cpu_pct                   DOUBLE PRECISION,   -- 100 - idle
  cpu_user_pct              DOUBLE PRECISION,
  cpu_system_pct            DOUBLE PRECISION,
  cpu_iowait_pct            DOUBLE PRECISION,
  cpu_steal_pct             DOUBLE PRECISION,
  cpu_idle_pct              DOUBLE PRECISION,
  cpu_cores                 JSONB,
  -- memory, /proc/meminfo
  mem_total_bytes           BIGINT,
  mem_used_bytes            BIGINT,
  mem_available_bytes       BIGINT,
  mem_free_bytes            BIGINT,
  mem_buffers_bytes         BIGINT,
  mem_cached_bytes          BIGINT,
  mem_used_pct              DOUBLE PRECISION,
  swap_total_bytes          BIGINT,
  swap_used_bytes           BIGINT,
  swap_used_pct             DOUBLE PRECISION,
  -- load, /proc/loadavg
  load_1m                   DOUBLE PRECISION,
  load_5m                   DOUBLE PRECISION,
  load_15m                  DOUBLE PRECISION,
  procs_running             INTEGER,
  procs_total               INTEGER,
  -- disk: scalar summaries for rollups/rules, per mount/device detail in JSONB
  disk_total_bytes          BIGINT,             -- sum over real mounts
  disk_used_bytes           BIGINT,
  disk_used_pct_max         DOUBLE PRECISION,   -- fullest mount
  disk_read_bytes_per_sec   DOUBLE PRECISION,   -- sum over block devices
  disk_write_bytes_per_sec  DOUBLE PRECISION,
  disk_read_ops_per_sec     DOUBLE PRECISION,
  disk_write_ops_per_sec    DOUBLE PRECISION,
  disk_busy_pct_max         DOUBLE PRECISION,   -- busiest device
  mounts                    JSONB,
  disk_devices              JSONB,
  -- network: sums over interfaces except loopback, detail in JSONB
  net_rx_bytes_per_sec      DOUBLE PRECISION,
  net_tx_bytes_per_sec      DOUBLE PRECISION,
  net_rx_packets_per_sec    DOUBLE PRECISION,
  net_tx_packets_per_sec    DOUBLE PRECISION,
  net_rx_errors_per_sec     DOUBLE PRECISION,
  net_tx_errors_per_sec     DOUBLE PRECISION,
  net_rx_drops_per_sec      DOUBLE PRECISION,
  net_tx_drops_per_sec      DOUBLE PRECISION,
  net_interfaces            JSONB,
  uptime_secs               BIGINT
) PARTITION BY RANGE (ts);
COMMENT ON COLUMN collector.system_metrics_raw.cpu_cores IS
  '[{"core":0,"user":..,"system":..,"iowait":..,"steal":..,"idle":..,"busy":..}] (percentages)';
COMMENT ON COLUMN collector.system_metrics_raw.mounts IS
  '[{"mount":"/","device":"/dev/sda1","fs_type":"ext4","total_bytes":..,"used_bytes":..,"available_bytes":..,"used_pct":..,"inodes_total":..,"inodes_used":..}]';
COMMENT ON COLUMN collector.system_metrics_raw.disk_devices IS
  '[{"device":"sda","read_bytes_per_sec":..,"write_bytes_per_sec":..,"read_ops_per_sec":..,"write_ops_per_sec":..,"busy_pct":..}]';
COMMENT ON COLUMN collector.system_metrics_raw.net_interfaces IS
  '[{"interface":"eth0","rx_bytes_per_sec":..,"tx_bytes_per_sec":..,"rx_packets_per_sec":..,"tx_packets_per_sec":..,"rx_errors_per_sec":..,"tx_errors_per_sec":..,"rx_drops_per_sec":..,"tx_drops_per_sec":..}]';
CREATE TABLE IF NOT EXISTS collector.system_metrics_raw_default
  PARTITION OF collector.system_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS system_metrics_raw_host_ts_idx
  ON collector.system_metrics_raw (host, ts DESC);

-- One row per watched name per tick; per-pid detail in `pids`.
CREATE TABLE IF NOT EXISTS collector.process_metrics_raw (
  host                TEXT NOT NULL,
  ts                  TIMESTAMPTZ NOT NULL DEFAULT now(),
  process_name        TEXT NOT NULL,
  process_count       INTEGER,            -- 0 = watched but missing
  missing             BOOLEAN,
  cpu_pct             DOUBLE PRECISION,   -- sum over pids; may exceed 100
  rss_bytes           BIGINT,             -- sum over pids
  fd_count            INTEGER,            -- sum over pids
  max_fd_count        INTEGER,            -- highest single pid
  max_fd_pid          INTEGER,
  threads             INTEGER,            -- sum over pids
  state               TEXT,               -- state of the oldest pid (R/S/D/Z/T...)
  zombie_count        INTEGER,
  dstate_count        INTEGER,
  stopped_count       INTEGER,
  start_time          TIMESTAMPTZ,        -- oldest pid
  uptime_secs         DOUBLE PRECISION,   -- of the oldest pid
  min_uptime_secs     DOUBLE PRECISION,   -- youngest pid (recent restarts)
  pids                JSONB
) PARTITION BY RANGE (ts);
COMMENT ON COLUMN collector.process_metrics_raw.pids IS
  '[{"pid":123,"state":"S","cpu_pct":..,"rss_bytes":..,"fds":..,"threads":..,"uptime_secs":..}]';
CREATE TABLE IF NOT EXISTS collector.process_metrics_raw_default
  PARTITION OF collector.process_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS process_metrics_raw_host_ts_idx
  ON collector.process_metrics_raw (host, ts DESC);

-- ---------------------------------------------------------------------------
-- Rollups. Hourly rows from raw, daily rows from hourly (weighted by
-- sample_count); upserted ON CONFLICT on the primary key. `day` is a UTC date.
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS collector.system_metrics_hourly (
  host                          TEXT NOT NULL,
  hour                          TIMESTAMPTZ NOT NULL,
  sample_count                  INTEGER NOT NULL,
  cpu_pct_avg                   DOUBLE PRECISION,
  cpu_pct_max                   DOUBLE PRECISION,
  cpu_pct_min                   DOUBLE PRECISION,
  cpu_iowait_pct_avg            DOUBLE PRECISION,
  cpu_iowait_pct_max            DOUBLE PRECISION,
  cpu_steal_pct_avg             DOUBLE PRECISION,
  cpu_steal_pct_max             DOUBLE PRECISION,
  mem_used_pct_avg              DOUBLE PRECISION,
  mem_used_pct_max              DOUBLE PRECISION,
  mem_used_pct_min              DOUBLE PRECISION,
  mem_used_bytes_avg            DOUBLE PRECISION,
  mem_used_bytes_max            BIGINT,
  mem_available_bytes_min       BIGINT,
  swap_used_pct_avg             DOUBLE PRECISION,
  swap_used_pct_max             DOUBLE PRECISION,
  load_1m_avg                   DOUBLE PRECISION,
  load_1m_max                   DOUBLE PRECISION,
  load_1m_min                   DOUBLE PRECISION,
  load_5m_avg                   DOUBLE PRECISION,
  load_15m_avg                  DOUBLE PRECISION,
  disk_used_pct_max_avg         DOUBLE PRECISION,
  disk_used_pct_max_max         DOUBLE PRECISION,
  disk_used_pct_max_min         DOUBLE PRECISION,
  disk_read_bytes_per_sec_avg   DOUBLE PRECISION,
  disk_read_bytes_per_sec_max   DOUBLE PRECISION,
  disk_write_bytes_per_sec_avg  DOUBLE PRECISION,
  disk_write_bytes_per_sec_max  DOUBLE PRECISION,
  disk_busy_pct_max_avg         DOUBLE PRECISION,
  disk_busy_pct_max_max         DOUBLE PRECISION,
  net_rx_bytes_per_sec_avg      DOUBLE PRECISION,
  net_rx_bytes_per_sec_max      DOUBLE PRECISION,
  net_tx_bytes_per_sec_avg      DOUBLE PRECISION,
  net_tx_bytes_per_sec_max      DOUBLE PRECISION,
  net_errors_per_sec_max        DOUBLE PRECISION,
  mount_used_pct_max            JSONB,
  PRIMARY KEY (host, hour)
);
CREATE INDEX IF NOT EXISTS system_metrics_hourly_hour_idx ON collector.system_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.system_metrics_daily (
  host                          TEXT NOT NULL,
  day                           DATE NOT NULL,
  sample_count                  INTEGER NOT NULL,
  cpu_pct_avg                   DOUBLE PRECISION,
  cpu_pct_max                   DOUBLE PRECISION,
  cpu_pct_min                   DOUBLE PRECISION,
  cpu_iowait_pct_avg            DOUBLE PRECISION,
  cpu_iowait_pct_max            DOUBLE PRECISION,
  cpu_steal_pct_avg             DOUBLE PRECISION,
  cpu_steal_pct_max             DOUBLE PRECISION,
  mem_used_pct_avg              DOUBLE PRECISION,
  mem_used_pct_max              DOUBLE PRECISION,
  mem_used_pct_min              DOUBLE PRECISION,
  mem_used_bytes_avg            DOUBLE PRECISION,
  mem_used_bytes_max            BIGINT,
  mem_available_bytes_min       BIGINT,
  swap_used_pct_avg             DOUBLE PRECISION,
  swap_used_pct_max             DOUBLE PRECISION,
  load_1m_avg                   DOUBLE PRECISION,
  load_1m_max                   DOUBLE PRECISION,
  load_1m_min                   DOUBLE PRECISION,
  load_5m_avg                   DOUBLE PRECISION,
  load_15m_avg                  DOUBLE PRECISION,
  disk_used_pct_max_avg         DOUBLE PRECISION,
  disk_used_pct_max_max         DOUBLE PRECISION,
  disk_used_pct_max_min         DOUBLE PRECISION,
  disk_read_bytes_per_sec_avg   DOUBLE PRECISION,
  disk_read_bytes_per_sec_max   DOUBLE PRECISION,
  disk_write_bytes_per_sec_avg  DOUBLE PRECISION,
  disk_write_bytes_per_sec_max  DOUBLE PRECISION,
  disk_busy_pct_max_avg         DOUBLE PRECISION,
  disk_busy_pct_max_max         DOUBLE PRECISION,
  net_rx_bytes_per_sec_avg      DOUBLE PRECISION,
  net_rx_bytes_per_sec_max      DOUBLE PRECISION,
  net_tx_bytes_per_sec_avg      DOUBLE PRECISION,
  net_tx_bytes_per_sec_max      DOUBLE PRECISION,
  net_errors_per_sec_max        DOUBLE PRECISION,
  mount_used_pct_max            JSONB,
  PRIMARY KEY (host, day)
);
CREATE INDEX IF NOT EXISTS system_metrics_daily_day_idx ON collector.system_metrics_daily (day);

CREATE TABLE IF NOT EXISTS collector.process_metrics_hourly (
  host               TEXT NOT NULL,
  hour               TIMESTAMPTZ NOT NULL,
  process_name       TEXT NOT NULL,
  sample_count       INTEGER NOT NULL,
  process_count_avg  DOUBLE PRECISION,
  process_count_max  INTEGER,
  process_count_min  INTEGER,
  missing_samples    INTEGER,
  cpu_pct_avg        DOUBLE PRECISION,
  cpu_pct_max        DOUBLE PRECISION,
  cpu_pct_min        DOUBLE PRECISION,
  rss_bytes_avg      DOUBLE PRECISION,
  rss_bytes_max      BIGINT,
  rss_bytes_min      BIGINT,
  fd_count_avg       DOUBLE PRECISION,
  fd_count_max       INTEGER,
  max_fd_count_max   INTEGER,
  threads_avg        DOUBLE PRECISION,
  threads_max        INTEGER,
  zombie_count_max   INTEGER,
  dstate_count_max   INTEGER,
  uptime_secs_min    DOUBLE PRECISION,
  restarts           INTEGER,
  PRIMARY KEY (host, hour, process_name)
);
CREATE INDEX IF NOT EXISTS process_metrics_hourly_hour_idx ON collector.process_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.process_metrics_daily (
  host               TEXT NOT NULL,
  day                DATE NOT NULL,
  process_name       TEXT NOT NULL,
  sample_count       INTEGER NOT NULL,
  process_count_avg  DOUBLE PRECISION,
  process_count_max  INTEGER,
  process_count_min  INTEGER,
  missing_samples    INTEGER,
  cpu_pct_avg        DOUBLE PRECISION,
  cpu_pct_max        DOUBLE PRECISION,
  cpu_pct_min        DOUBLE PRECISION,
  rss_bytes_avg      DOUBLE PRECISION,
  rss_bytes_max      BIGINT,
  rss_bytes_min      BIGINT,
  fd_count_avg       DOUBLE PRECISION,
  fd_count_max       INTEGER,
  max_fd_count_max   INTEGER,
  threads_avg        DOUBLE PRECISION,
  threads_max        INTEGER,
  zombie_count_max   INTEGER,
  dstate_count_max   INTEGER,
  uptime_secs_min    DOUBLE PRECISION,
  restarts           INTEGER,
  PRIMARY KEY (host, day, process_name)
);
CREATE INDEX IF NOT EXISTS process_metrics_daily_day_idx ON collector.process_metrics_daily (day);
COMMENT ON COLUMN collector.system_metrics_hourly.mount_used_pct_max IS 'per-mount max used_pct: {"/": 71.2, "/var": 40.1}';
COMMENT ON COLUMN collector.system_metrics_daily.mount_used_pct_max IS 'per-mount max used_pct: {"/": 71.2, "/var": 40.1}';

-- ---------------------------------------------------------------------------
-- Rollups (collector.declare_rollup, migrations/005_rollups.sql)
-- ---------------------------------------------------------------------------

SELECT collector.declare_rollup('system_metrics_raw', 'system_metrics_hourly', 'system_metrics_daily', 'system_metrics');
SELECT collector.rollup_column('system_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_stats('system_metrics_hourly', 'cpu_pct', 'avg', 'max', 'min');
SELECT collector.rollup_stats('system_metrics_hourly', 'cpu_iowait_pct', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'cpu_steal_pct', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'mem_used_pct', 'avg', 'max', 'min');
SELECT collector.rollup_stats('system_metrics_hourly', 'mem_used_bytes', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'mem_available_bytes', 'min');
SELECT collector.rollup_stats('system_metrics_hourly', 'swap_used_pct', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'load_1m', 'avg', 'max', 'min');
SELECT collector.rollup_stats('system_metrics_hourly', 'load_5m', 'avg');
SELECT collector.rollup_stats('system_metrics_hourly', 'load_15m', 'avg');
SELECT collector.rollup_stats('system_metrics_hourly', 'disk_used_pct_max', 'avg', 'max', 'min');
SELECT collector.rollup_stats('system_metrics_hourly', 'disk_read_bytes_per_sec', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'disk_write_bytes_per_sec', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'disk_busy_pct_max', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'net_rx_bytes_per_sec', 'avg', 'max');
SELECT collector.rollup_stats('system_metrics_hourly', 'net_tx_bytes_per_sec', 'avg', 'max');
-- Receive and transmit errors together; NULL when neither was measured.
SELECT collector.rollup_column('system_metrics_hourly', 'net_errors_per_sec_max', 'max',
  'CASE WHEN r.net_rx_errors_per_sec IS NULL AND r.net_tx_errors_per_sec IS NULL THEN NULL
        ELSE coalesce(r.net_rx_errors_per_sec, 0) + coalesce(r.net_tx_errors_per_sec, 0) END');
SELECT collector.rollup_column('system_metrics_hourly', 'mount_used_pct_max', 'expr',
  $$collector.jsonb_array_max(r.mounts, 'mount', 'used_pct') FILTER (WHERE r.in_bucket)$$,
  'collector.jsonb_max_merge(h.mount_used_pct_max)');
SELECT collector.check_rollup('system_metrics_hourly');

SELECT collector.declare_rollup('process_metrics_raw', 'process_metrics_hourly', 'process_metrics_daily', 'system_metrics',
  ARRAY['process_name']);
SELECT collector.rollup_column('process_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_stats('process_metrics_hourly', 'process_count', 'avg', 'max', 'min');
SELECT collector.rollup_column('process_metrics_hourly', 'missing_samples', 'count_if', 'coalesce(r.missing, r.process_count = 0)');
SELECT collector.rollup_stats('process_metrics_hourly', 'cpu_pct', 'avg', 'max', 'min');
SELECT collector.rollup_stats('process_metrics_hourly', 'rss_bytes', 'avg', 'max', 'min');
SELECT collector.rollup_stats('process_metrics_hourly', 'fd_count', 'avg', 'max');
SELECT collector.rollup_stats('process_metrics_hourly', 'max_fd_count', 'max');
SELECT collector.rollup_stats('process_metrics_hourly', 'threads', 'avg', 'max');
SELECT collector.rollup_stats('process_metrics_hourly', 'zombie_count', 'max');
SELECT collector.rollup_stats('process_metrics_hourly', 'dstate_count', 'max');
SELECT collector.rollup_stats('process_metrics_hourly', 'uptime_secs', 'min');
SELECT collector.rollup_column('process_metrics_hourly', 'restarts', 'restarts', 'r.start_time');
SELECT collector.check_rollup('process_metrics_hourly');
"""#),
    ]
}
