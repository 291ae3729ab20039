-- 001_collector_schema.sql: core metric tables, heartbeat, alerts, rollups,
-- the collector's own stats, and daily-partition management.
-- Applied once, inside one transaction, by the host's migrator.
--
-- Conventions (docs/schema.md): every row carries `host` so a fleet can share
-- one database; raw tables are range-partitioned by day on `ts` (UTC days)
-- with a DEFAULT partition so no row is ever rejected; retention drops whole
-- partitions. *_pct is 0..100, *_ratio is 0..1, *_per_sec is a rate over the
-- previous sample, *_total / pg_stat-named columns are counters as read.

CREATE SCHEMA IF NOT EXISTS collector;

-- ---------------------------------------------------------------------------
-- Partition management
-- ---------------------------------------------------------------------------

-- Bounds of every partition of a range-partitioned table. Parsed from
-- pg_get_expr() with a fixed DateStyle so the text round-trips exactly.
CREATE OR REPLACE FUNCTION collector.partition_bounds(p_table regclass)
RETURNS TABLE (partition regclass, range_from timestamptz, range_to timestamptz, is_default boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET datestyle = 'ISO, YMD'
AS $fn$
BEGIN
  RETURN QUERY
  SELECT c.oid::regclass,
         (m.b)[1]::timestamptz,
         (m.b)[2]::timestamptz,
         pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
  LEFT JOIN LATERAL (
    SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid),
                        $re$^FOR VALUES FROM \('([^']*)'\) TO \('([^']*)'\)$$re$) AS b
  ) m ON true
  WHERE i.inhparent = p_table
    AND c.relispartition;
END
$fn$;

-- Create daily partitions <table>_pYYYYMMDD (UTC days) for every day in
-- [p_from, p_to], for every table of schema collector range-partitioned on one
-- timestamptz column, plus its DEFAULT partition when missing. Idempotent;
-- returns how many day partitions it created. Rows already sitting in the
-- DEFAULT partition for a new day are moved into the new partition (creating
-- the partition directly would fail on them).
CREATE OR REPLACE FUNCTION collector.ensure_partitions(p_from date, p_to date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET datestyle = 'ISO, YMD'
AS $fn$
DECLARE
  r         record;
  d         date;
  v_part    text;
  v_default regclass;
  v_lo      timestamptz;
  v_hi      timestamptz;
  v_lo_lit  text;
  v_hi_lit  text;
  v_cols    text;
  v_busy    boolean;
  v_created integer := 0;
BEGIN
  IF p_from IS NULL OR p_to IS NULL THEN
    RAISE EXCEPTION 'ensure_partitions: p_from and p_to are required';
  END IF;
  IF p_to - p_from > 3660 THEN
    RAISE EXCEPTION 'ensure_partitions: range of % days is too large', p_to - p_from;
  END IF;

  -- Serialise with other collectors of a fleet and with drop_partitions_before.
  PERFORM pg_advisory_xact_lock(hashtext('collector.partitions'));

  FOR r IN
    SELECT c.oid::regclass AS tbl, c.relname, a.attname AS key, pt.partdefid
    FROM pg_partitioned_table pt
    JOIN pg_class c ON c.oid = pt.partrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = pt.partattrs[0]
    WHERE n.nspname = 'collector'
      AND pt.partstrat = 'r'
      AND pt.partnatts = 1
      AND a.atttypid = 'timestamptz'::regtype
      AND NOT c.relispartition
    ORDER BY c.relname
  LOOP
    IF r.partdefid = 0 THEN
      EXECUTE format('CREATE TABLE collector.%I PARTITION OF %s DEFAULT',
                     r.relname || '_default', r.tbl);
      v_default := format('collector.%I', r.relname || '_default')::regclass;
    ELSE
      v_default := r.partdefid::regclass;
    END IF;

    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO v_cols
    FROM pg_attribute
    WHERE attrelid = r.tbl AND attnum > 0 AND NOT attisdropped AND attgenerated = '';

    d := p_from;
    WHILE d <= p_to LOOP
      v_part := r.relname || '_p' || to_char(d, 'YYYYMMDD');
      IF octet_length(v_part) > 63 THEN
        RAISE EXCEPTION 'ensure_partitions: partition name % is too long', v_part;
      END IF;
      v_lo_lit := to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00';
      v_hi_lit := to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00';
      v_lo := v_lo_lit::timestamptz;
      v_hi := v_hi_lit::timestamptz;

      -- Skip a day already covered by any partition (ours or a coarser one).
      IF to_regclass(format('collector.%I', v_part)) IS NULL
         AND NOT EXISTS (SELECT 1 FROM collector.partition_bounds(r.tbl) b
                         WHERE NOT b.is_default
                           AND (b.range_from IS NULL OR b.range_from < v_hi)
                           AND (b.range_to IS NULL OR b.range_to > v_lo))
      THEN
        BEGIN
          -- ATTACH takes this lock anyway; taking it first means no row can
          -- reach the default for this day between the check and the ATTACH.
          EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default);
          EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= $1 AND %I < $2)',
                         v_default, r.key, r.key)
            INTO v_busy USING v_lo, v_hi;
          -- Create standalone, then ATTACH: ATTACH needs only SHARE UPDATE
          -- EXCLUSIVE on the parent, so writers (COPY) are never blocked;
          -- CREATE ... PARTITION OF would take ACCESS EXCLUSIVE.
          EXECUTE format('CREATE TABLE collector.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
                         v_part, r.tbl);
          IF v_busy THEN
            EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= $1 AND %I < $2 RETURNING %s) '
                           'INSERT INTO collector.%I (%s) SELECT %s FROM moved',
                           v_default, r.key, r.key, v_cols, v_part, v_cols, v_cols)
              USING v_lo, v_hi;
          END IF;
          EXECUTE format('ALTER TABLE %s ATTACH PARTITION collector.%I FOR VALUES FROM (%L) TO (%L)',
                         r.tbl, v_part, v_lo_lit, v_hi_lit);
          v_created := v_created + 1;
        EXCEPTION WHEN lock_not_available THEN
          -- Caller's lock_timeout hit: leave it for the next run rather than fail.
          RAISE NOTICE 'ensure_partitions: % skipped (lock timeout)', v_part;
        END;
      END IF;
      d := d + 1;
    END LOOP;
  END LOOP;
  RETURN v_created;
END
$fn$;

-- Drop the daily partitions of p_table whose upper bound is <= p_cutoff
-- (UTC midnight); returns how many. Also deletes rows older than the cutoff
-- that landed in the DEFAULT partition (e.g. badly dated log lines).
CREATE OR REPLACE FUNCTION collector.drop_partitions_before(p_table regclass, p_cutoff date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET datestyle = 'ISO, YMD'
AS $fn$
DECLARE
  r        record;
  v_key    name;
  v_cut    timestamptz := (to_char(p_cutoff, 'YYYY-MM-DD') || ' 00:00:00+00')::timestamptz;
  v_count  integer := 0;
BEGIN
  SELECT a.attname INTO v_key
  FROM pg_partitioned_table pt
  JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
  WHERE pt.partrelid = p_table AND pt.partstrat = 'r' AND pt.partnatts = 1;
  IF v_key IS NULL THEN
    RAISE EXCEPTION 'drop_partitions_before: % is not range-partitioned on one column', p_table;
  END IF;

  PERFORM pg_advisory_xact_lock(hashtext('collector.partitions'));

  FOR r IN
    SELECT b.partition, b.is_default
    FROM collector.partition_bounds(p_table) b
    WHERE b.is_default OR (b.range_to IS NOT NULL AND b.range_to <= v_cut)
    ORDER BY b.range_to NULLS LAST
  LOOP
    BEGIN
      IF r.is_default THEN
        EXECUTE format('DELETE FROM %s WHERE %I < $1', r.partition, v_key) USING v_cut;
      ELSE
        -- Takes ACCESS EXCLUSIVE on the parent briefly; callers set lock_timeout.
        EXECUTE format('DROP TABLE %s', r.partition);
        v_count := v_count + 1;
      END IF;
    EXCEPTION WHEN lock_not_available THEN
      RAISE NOTICE 'drop_partitions_before: % skipped (lock timeout)', r.partition;
    END;
  END LOOP;
  RETURN v_count;
END
$fn$;

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

CREATE TABLE IF NOT EXISTS collector.api_metrics_raw (
  host                  TEXT NOT NULL,
  ts                    TIMESTAMPTZ NOT NULL DEFAULT now(),
  up                    BOOLEAN NOT NULL DEFAULT true,  -- false: scrape failed, other columns NULL
  scrape_ms             DOUBLE PRECISION,
  http_status           INTEGER,
  requests_total        BIGINT,
  requests_per_sec      DOUBLE PRECISION,
  errors_total          BIGINT,
  error_rate_pct        DOUBLE PRECISION,
  status_2xx_total      BIGINT,
  status_3xx_total      BIGINT,
  status_4xx_total      BIGINT,
  status_5xx_total      BIGINT,
  latency_avg_ms        DOUBLE PRECISION,
  latency_p50_ms        DOUBLE PRECISION,
  latency_p90_ms        DOUBLE PRECISION,
  latency_p95_ms        DOUBLE PRECISION,
  latency_p99_ms        DOUBLE PRECISION,
  latency_max_ms        DOUBLE PRECISION,
  active_connections    INTEGER,
  cache_hits_total      BIGINT,
  cache_misses_total    BIGINT,
  cache_hit_ratio       DOUBLE PRECISION,
  cache_entries         BIGINT,
  cache_size_bytes      BIGINT,
  uptime_secs           DOUBLE PRECISION,
  extra                 JSONB               -- unrecognised fields of the scraped JSON
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.api_metrics_raw_default
  PARTITION OF collector.api_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS api_metrics_raw_host_ts_idx
  ON collector.api_metrics_raw (host, ts DESC);

CREATE TABLE IF NOT EXISTS collector.proxy_metrics_raw (
  host                           TEXT NOT NULL,
  ts                             TIMESTAMPTZ NOT NULL DEFAULT now(),
  up                             BOOLEAN NOT NULL DEFAULT true,
  scrape_ms                      DOUBLE PRECISION,
  http_status                    INTEGER,
  connections_active             INTEGER,
  connections_total              BIGINT,
  requests_total                 BIGINT,
  requests_per_sec               DOUBLE PRECISION,
  errors_total                   BIGINT,
  tls_handshakes_total           BIGINT,
  tls_handshake_failures_total   BIGINT,
  tls_handshake_avg_ms           DOUBLE PRECISION,
  rate_limited_total             BIGINT,  -- requests blocked by rate limiting
  rate_limit_allowed_total       BIGINT,
  blocked_ips                    INTEGER,
  upstream_requests_total        BIGINT,
  upstream_errors_total          BIGINT,
  upstream_latency_avg_ms        DOUBLE PRECISION,
  upstream_latency_p50_ms        DOUBLE PRECISION,
  upstream_latency_p95_ms        DOUBLE PRECISION,
  upstream_latency_p99_ms        DOUBLE PRECISION,
  bytes_in_total                 BIGINT,
  bytes_out_total                BIGINT,
  uptime_secs                    DOUBLE PRECISION,
  extra                          JSONB
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.proxy_metrics_raw_default
  PARTITION OF collector.proxy_metrics_raw DEFAULT;
CREATE INDEX IF NOT EXISTS proxy_metrics_raw_host_ts_idx
  ON collector.proxy_metrics_raw (host, ts DESC);

-- App-tick database stats (pg_stat_activity, pg_stat_database); 002 adds the
-- bgwriter/checkpointer, WAL, wait-event and lock columns.
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

-- 5 s liveness rows through the fast path.
CREATE TABLE IF NOT EXISTS collector.heartbeat (
  host            TEXT NOT NULL,
  ts              TIMESTAMPTZ NOT NULL DEFAULT now(),
  pid             INTEGER,
  version         TEXT,
  started_at      TIMESTAMPTZ,
  uptime_secs     DOUBLE PRECISION,
  rss_bytes       BIGINT,
  buffered_rows   BIGINT,
  dropped_rows    BIGINT   -- metric rows dropped since start (memory cap)
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.heartbeat_default
  PARTITION OF collector.heartbeat DEFAULT;
CREATE INDEX IF NOT EXISTS heartbeat_host_ts_idx
  ON collector.heartbeat (host, ts DESC);

-- ---------------------------------------------------------------------------
-- Alerts: host-managed findings (open while the rule fires)
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS collector.alerts (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  host             TEXT NOT NULL,
  ts               TIMESTAMPTZ NOT NULL DEFAULT now(),  -- raised at
  analyzer         TEXT NOT NULL,                       -- '<plugin>.<analyzer>' or built-in rule set
  key              TEXT NOT NULL,                       -- dedup identity, e.g. 'ssh_brute_force:203.0.113.7'
  type             TEXT NOT NULL,                       -- e.g. ssh_brute_force, stale_heartbeat
  severity         TEXT NOT NULL DEFAULT 'warn' CHECK (severity IN ('info', 'warn', 'critical')),
  domain           TEXT,
  metric           TEXT,
  target           TEXT,
  title            TEXT NOT NULL,
  description      TEXT,
  action           TEXT,
  value            DOUBLE PRECISION,
  threshold        DOUBLE PRECISION,
  context          JSONB,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  first_seen       TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen        TIMESTAMPTZ NOT NULL DEFAULT now(),
  occurrences      BIGINT NOT NULL DEFAULT 1,
  resolved_at      TIMESTAMPTZ,
  acknowledged     BOOLEAN NOT NULL DEFAULT false,
  acknowledged_at  TIMESTAMPTZ,
  acknowledged_by  TEXT,
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_key_uidx
  ON collector.alerts (host, analyzer, key) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS alerts_host_ts_idx ON collector.alerts (host, ts DESC);
CREATE INDEX IF NOT EXISTS alerts_resolved_at_idx
  ON collector.alerts (resolved_at) WHERE status = 'resolved';

-- ---------------------------------------------------------------------------
-- The collector's own per-plugin, per-tick statistics (upserted)
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS collector.plugin_stats (
  host                  TEXT NOT NULL,
  plugin                TEXT NOT NULL,           -- 'host' for built-in work
  tick                  TEXT NOT NULL,           -- tick, analyzer or parser name
  runs                  BIGINT NOT NULL DEFAULT 0,
  failures              BIGINT NOT NULL DEFAULT 0,
  skipped               BIGINT NOT NULL DEFAULT 0,  -- still running when due again
  consecutive_failures  INTEGER NOT NULL DEFAULT 0,
  backoff_secs          DOUBLE PRECISION NOT NULL DEFAULT 0,
  last_error            TEXT,
  dropped_rows          BIGINT NOT NULL DEFAULT 0,
  last_run_at           TIMESTAMPTZ,
  last_duration_ms      DOUBLE PRECISION,
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (host, plugin, tick)
);

-- ---------------------------------------------------------------------------
-- Rollups. Hourly rows from raw, daily rows from hourly (weighted by
-- sample_count); upserted ON CONFLICT on the primary key. `day` is a UTC date.
-- *_delta columns are reset-aware counter increases within the bucket.
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

CREATE TABLE IF NOT EXISTS collector.api_metrics_hourly (
  host                    TEXT NOT NULL,
  hour                    TIMESTAMPTZ NOT NULL,
  sample_count            INTEGER NOT NULL,
  up_samples              INTEGER,
  requests_delta          BIGINT,
  errors_delta            BIGINT,
  requests_per_sec_avg    DOUBLE PRECISION,
  requests_per_sec_max    DOUBLE PRECISION,
  requests_per_sec_min    DOUBLE PRECISION,
  error_rate_pct_avg      DOUBLE PRECISION,
  error_rate_pct_max      DOUBLE PRECISION,
  error_rate_pct_min      DOUBLE PRECISION,
  latency_avg_ms_avg      DOUBLE PRECISION,
  latency_p50_ms_avg      DOUBLE PRECISION,
  latency_p95_ms_avg      DOUBLE PRECISION,
  latency_p95_ms_max      DOUBLE PRECISION,
  latency_p95_ms_min      DOUBLE PRECISION,
  latency_p99_ms_avg      DOUBLE PRECISION,
  latency_p99_ms_max      DOUBLE PRECISION,
  latency_max_ms_max      DOUBLE PRECISION,
  active_connections_avg  DOUBLE PRECISION,
  active_connections_max  INTEGER,
  cache_hit_ratio_avg     DOUBLE PRECISION,
  cache_hit_ratio_min     DOUBLE PRECISION,
  PRIMARY KEY (host, hour)
);
CREATE INDEX IF NOT EXISTS api_metrics_hourly_hour_idx ON collector.api_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.api_metrics_daily (
  host                    TEXT NOT NULL,
  day                     DATE NOT NULL,
  sample_count            INTEGER NOT NULL,
  up_samples              INTEGER,
  requests_delta          BIGINT,
  errors_delta            BIGINT,
  requests_per_sec_avg    DOUBLE PRECISION,
  requests_per_sec_max    DOUBLE PRECISION,
  requests_per_sec_min    DOUBLE PRECISION,
  error_rate_pct_avg      DOUBLE PRECISION,
  error_rate_pct_max      DOUBLE PRECISION,
  error_rate_pct_min      DOUBLE PRECISION,
  latency_avg_ms_avg      DOUBLE PRECISION,
  latency_p50_ms_avg      DOUBLE PRECISION,
  latency_p95_ms_avg      DOUBLE PRECISION,
  latency_p95_ms_max      DOUBLE PRECISION,
  latency_p95_ms_min      DOUBLE PRECISION,
  latency_p99_ms_avg      DOUBLE PRECISION,
  latency_p99_ms_max      DOUBLE PRECISION,
  latency_max_ms_max      DOUBLE PRECISION,
  active_connections_avg  DOUBLE PRECISION,
  active_connections_max  INTEGER,
  cache_hit_ratio_avg     DOUBLE PRECISION,
  cache_hit_ratio_min     DOUBLE PRECISION,
  PRIMARY KEY (host, day)
);
CREATE INDEX IF NOT EXISTS api_metrics_daily_day_idx ON collector.api_metrics_daily (day);

CREATE TABLE IF NOT EXISTS collector.proxy_metrics_hourly (
  host                          TEXT NOT NULL,
  hour                          TIMESTAMPTZ NOT NULL,
  sample_count                  INTEGER NOT NULL,
  up_samples                    INTEGER,
  connections_active_avg        DOUBLE PRECISION,
  connections_active_max        INTEGER,
  requests_delta                BIGINT,
  requests_per_sec_avg          DOUBLE PRECISION,
  requests_per_sec_max          DOUBLE PRECISION,
  errors_delta                  BIGINT,
  tls_handshakes_delta          BIGINT,
  tls_handshake_failures_delta  BIGINT,
  tls_handshake_avg_ms_avg      DOUBLE PRECISION,
  rate_limited_delta            BIGINT,
  upstream_errors_delta         BIGINT,
  upstream_latency_p95_ms_avg   DOUBLE PRECISION,
  upstream_latency_p95_ms_max   DOUBLE PRECISION,
  upstream_latency_p99_ms_avg   DOUBLE PRECISION,
  upstream_latency_p99_ms_max   DOUBLE PRECISION,
  PRIMARY KEY (host, hour)
);
CREATE INDEX IF NOT EXISTS proxy_metrics_hourly_hour_idx ON collector.proxy_metrics_hourly (hour);

CREATE TABLE IF NOT EXISTS collector.proxy_metrics_daily (
  host                          TEXT NOT NULL,
  day                           DATE NOT NULL,
  sample_count                  INTEGER NOT NULL,
  up_samples                    INTEGER,
  connections_active_avg        DOUBLE PRECISION,
  connections_active_max        INTEGER,
  requests_delta                BIGINT,
  requests_per_sec_avg          DOUBLE PRECISION,
  requests_per_sec_max          DOUBLE PRECISION,
  errors_delta                  BIGINT,
  tls_handshakes_delta          BIGINT,
  tls_handshake_failures_delta  BIGINT,
  tls_handshake_avg_ms_avg      DOUBLE PRECISION,
  rate_limited_delta            BIGINT,
  upstream_errors_delta         BIGINT,
  upstream_latency_p95_ms_avg   DOUBLE PRECISION,
  upstream_latency_p95_ms_max   DOUBLE PRECISION,
  upstream_latency_p99_ms_avg   DOUBLE PRECISION,
  upstream_latency_p99_ms_max   DOUBLE PRECISION,
  PRIMARY KEY (host, day)
);
CREATE INDEX IF NOT EXISTS proxy_metrics_daily_day_idx ON collector.proxy_metrics_daily (day);

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
COMMENT ON COLUMN collector.system_metrics_hourly.mount_used_pct_max IS 'per-mount max used_pct: {"/": 71.2, "/var": 40.1}';
COMMENT ON COLUMN collector.system_metrics_daily.mount_used_pct_max IS 'per-mount max used_pct: {"/": 71.2, "/var": 40.1}';
