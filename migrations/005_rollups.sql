-- 005_rollups.sql: hourly rollups from raw rows, daily rollups from hourly
-- rows, and the per-host progress the host keeps in collector.rollup_state.
--
-- collector.rollup_hour(host, hour) and collector.rollup_day(host, day) are
-- pure functions of their input rows written with INSERT ... ON CONFLICT (pk)
-- DO UPDATE SET <every column> = EXCLUDED.<column>: running one twice gives
-- identical rows, and a bucket without input rows writes nothing (it never
-- deletes, so re-running an hour whose raw partitions are gone is harmless).
-- Hours and days are UTC, like the partitions.
--
-- *_delta columns are reset-aware counter increases: the sum over consecutive
-- samples of (value - previous) when the counter grew, and of the new value
-- when it went down (a reset restarts from zero). The first sample of a bucket
-- is compared with the key's last sample of the hour before it, so the hourly
-- deltas add up to the whole increase; without such a sample it only sets the
-- baseline. NULL samples are skipped (the next value compares with the last
-- non-NULL one).

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- Start of the UTC hour of p_ts, whatever the session's TimeZone.
CREATE OR REPLACE FUNCTION collector.utc_hour(p_ts timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$ SELECT date_trunc('hour', p_ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $fn$;

-- Transition of collector.counter_increase: s = {previous value, increase so
-- far (NULL until a sample inside the bucket has been seen)}. STRICT, so
-- samples whose value is NULL are skipped by the aggregate. PL/pgSQL: about
-- five times faster per row than a (non-inlinable) SQL transition function.
CREATE OR REPLACE FUNCTION collector.counter_increase_step(s bigint[], v bigint, in_bucket boolean)
RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
BEGIN
  IF in_bucket THEN
    IF s[1] IS NULL THEN
      s[2] := coalesce(s[2], 0);                        -- first sample: only a baseline
    ELSIF v >= s[1] THEN
      s[2] := coalesce(s[2], 0) + (v - s[1]);
    ELSE
      s[2] := coalesce(s[2], 0) + greatest(v, 0);       -- reset: counted from zero
    END IF;
  END IF;
  s[1] := v;
  RETURN s;
END
$fn$;

CREATE OR REPLACE FUNCTION collector.counter_increase_step(s float8[], v double precision, in_bucket boolean)
RETURNS float8[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
BEGIN
  IF in_bucket THEN
    IF s[1] IS NULL THEN
      s[2] := coalesce(s[2], 0);
    ELSIF v >= s[1] THEN
      s[2] := coalesce(s[2], 0) + (v - s[1]);
    ELSE
      s[2] := coalesce(s[2], 0) + greatest(v, 0);
    END IF;
  END IF;
  s[1] := v;
  RETURN s;
END
$fn$;

CREATE OR REPLACE FUNCTION collector.counter_increase_final(s bigint[])
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$ SELECT s[2] $fn$;

CREATE OR REPLACE FUNCTION collector.counter_increase_final(s float8[])
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$ SELECT s[2] $fn$;

-- collector.counter_increase(counter, in_bucket ORDER BY ts, counter): the
-- reset-aware increase of a cumulative counter over the rows with in_bucket,
-- rows without it (the sample before the bucket) only setting the baseline.
-- NULL when no non-NULL sample lies in the bucket; 0 for a single sample.
-- Order by ts and then the value, so equal timestamps are deterministic.
CREATE OR REPLACE AGGREGATE collector.counter_increase(bigint, boolean) (
  SFUNC = collector.counter_increase_step,
  STYPE = bigint[],
  FINALFUNC = collector.counter_increase_final,
  INITCOND = '{NULL,NULL}'
);

CREATE OR REPLACE AGGREGATE collector.counter_increase(double precision, boolean) (
  SFUNC = collector.counter_increase_step,
  STYPE = float8[],
  FINALFUNC = collector.counter_increase_final,
  INITCOND = '{NULL,NULL}'
);

-- Merge of {"name": number} objects keeping the largest number per name
-- (mount_used_pct_max from hourly to daily). Non-numeric values are ignored.
CREATE OR REPLACE FUNCTION collector.jsonb_max_merge_step(s jsonb, v jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
  SELECT CASE
    WHEN jsonb_typeof(v) <> 'object' THEN s
    WHEN jsonb_typeof(s) <> 'object' THEN v
    ELSE (SELECT coalesce(jsonb_object_agg(e.key, e.m), '{}'::jsonb)
          FROM (SELECT key, max(value::float8) AS m
                FROM (SELECT * FROM jsonb_each(s) UNION ALL SELECT * FROM jsonb_each(v)) kv
                WHERE jsonb_typeof(value) = 'number'
                GROUP BY key) e)
  END
$fn$;

CREATE OR REPLACE AGGREGATE collector.jsonb_max_merge(jsonb) (
  SFUNC = collector.jsonb_max_merge_step,
  STYPE = jsonb
);

-- ---------------------------------------------------------------------------
-- Progress per host: the host rolls up every complete hour after last_hour,
-- then every complete day after last_day (see docs/schema.md).
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS collector.rollup_state (
  host        TEXT PRIMARY KEY,
  last_hour   TIMESTAMPTZ,               -- start of the last hour rolled up
  last_day    DATE,                      -- last UTC day rolled up
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Oldest raw row of a host in the tables collector.rollup_hour reads (where a
-- first rollup run starts).
CREATE OR REPLACE FUNCTION collector.rollup_oldest_raw(p_host text)
RETURNS timestamptz
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT least(
    (SELECT min(ts) FROM collector.system_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.process_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.api_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.proxy_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.db_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.table_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.io_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.index_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.replication_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.statement_metrics_raw WHERE host = p_host),
    (SELECT min(ts) FROM collector.log_entries WHERE host = p_host))
$fn$;

-- ---------------------------------------------------------------------------
-- Hourly rollup
-- ---------------------------------------------------------------------------

-- Rolls up the UTC hour containing p_hour for one host into every *_hourly
-- table and log_metrics_hourly; returns the rows written.
CREATE OR REPLACE FUNCTION collector.rollup_hour(p_host text, p_hour timestamptz)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_hour  timestamptz := collector.utc_hour(p_hour);
  v_end   timestamptz := collector.utc_hour(p_hour) + interval '1 hour';
  -- Counters compare their first sample with the last one of the hour before.
  v_prev  timestamptz := collector.utc_hour(p_hour) - interval '1 hour';
  v_n     integer;
  v_total integer := 0;
BEGIN
  IF p_host IS NULL OR p_hour IS NULL THEN
    RAISE EXCEPTION 'rollup_hour: p_host and p_hour are required';
  END IF;

  -- system ------------------------------------------------------------------
  INSERT INTO collector.system_metrics_hourly AS t (
    host, hour, sample_count,
    cpu_pct_avg, cpu_pct_max, cpu_pct_min, cpu_iowait_pct_avg, cpu_iowait_pct_max,
    cpu_steal_pct_avg, cpu_steal_pct_max,
    mem_used_pct_avg, mem_used_pct_max, mem_used_pct_min,
    mem_used_bytes_avg, mem_used_bytes_max, mem_available_bytes_min,
    swap_used_pct_avg, swap_used_pct_max,
    load_1m_avg, load_1m_max, load_1m_min, load_5m_avg, load_15m_avg,
    disk_used_pct_max_avg, disk_used_pct_max_max, disk_used_pct_max_min,
    disk_read_bytes_per_sec_avg, disk_read_bytes_per_sec_max,
    disk_write_bytes_per_sec_avg, disk_write_bytes_per_sec_max,
    disk_busy_pct_max_avg, disk_busy_pct_max_max,
    net_rx_bytes_per_sec_avg, net_rx_bytes_per_sec_max,
    net_tx_bytes_per_sec_avg, net_tx_bytes_per_sec_max,
    net_errors_per_sec_max, mount_used_pct_max)
  SELECT p_host, v_hour, count(*),
    avg(r.cpu_pct), max(r.cpu_pct), min(r.cpu_pct), avg(r.cpu_iowait_pct), max(r.cpu_iowait_pct),
    avg(r.cpu_steal_pct), max(r.cpu_steal_pct),
    avg(r.mem_used_pct), max(r.mem_used_pct), min(r.mem_used_pct),
    avg(r.mem_used_bytes), max(r.mem_used_bytes), min(r.mem_available_bytes),
    avg(r.swap_used_pct), max(r.swap_used_pct),
    avg(r.load_1m), max(r.load_1m), min(r.load_1m), avg(r.load_5m), avg(r.load_15m),
    avg(r.disk_used_pct_max), max(r.disk_used_pct_max), min(r.disk_used_pct_max),
    avg(r.disk_read_bytes_per_sec), max(r.disk_read_bytes_per_sec),
    avg(r.disk_write_bytes_per_sec), max(r.disk_write_bytes_per_sec),
    avg(r.disk_busy_pct_max), max(r.disk_busy_pct_max),
    avg(r.net_rx_bytes_per_sec), max(r.net_rx_bytes_per_sec),
    avg(r.net_tx_bytes_per_sec), max(r.net_tx_bytes_per_sec),
    max(coalesce(r.net_rx_errors_per_sec, 0) + coalesce(r.net_tx_errors_per_sec, 0))
      FILTER (WHERE r.net_rx_errors_per_sec IS NOT NULL OR r.net_tx_errors_per_sec IS NOT NULL),
    (SELECT jsonb_object_agg(m.mount, m.used_pct)
     FROM (SELECT e->>'mount' AS mount, max((e->>'used_pct')::float8) AS used_pct
           FROM collector.system_metrics_raw s,
                jsonb_array_elements(CASE WHEN jsonb_typeof(s.mounts) = 'array' THEN s.mounts ELSE '[]' END) e
           WHERE s.host = p_host AND s.ts >= v_hour AND s.ts < v_end
             AND e->>'mount' IS NOT NULL AND jsonb_typeof(e->'used_pct') = 'number'
           GROUP BY 1) m)
  FROM collector.system_metrics_raw r
  WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
  HAVING count(*) > 0
  ON CONFLICT (host, hour) DO UPDATE SET
    sample_count = EXCLUDED.sample_count,
    cpu_pct_avg = EXCLUDED.cpu_pct_avg, cpu_pct_max = EXCLUDED.cpu_pct_max, cpu_pct_min = EXCLUDED.cpu_pct_min,
    cpu_iowait_pct_avg = EXCLUDED.cpu_iowait_pct_avg, cpu_iowait_pct_max = EXCLUDED.cpu_iowait_pct_max,
    cpu_steal_pct_avg = EXCLUDED.cpu_steal_pct_avg, cpu_steal_pct_max = EXCLUDED.cpu_steal_pct_max,
    mem_used_pct_avg = EXCLUDED.mem_used_pct_avg, mem_used_pct_max = EXCLUDED.mem_used_pct_max,
    mem_used_pct_min = EXCLUDED.mem_used_pct_min,
    mem_used_bytes_avg = EXCLUDED.mem_used_bytes_avg, mem_used_bytes_max = EXCLUDED.mem_used_bytes_max,
    mem_available_bytes_min = EXCLUDED.mem_available_bytes_min,
    swap_used_pct_avg = EXCLUDED.swap_used_pct_avg, swap_used_pct_max = EXCLUDED.swap_used_pct_max,
    load_1m_avg = EXCLUDED.load_1m_avg, load_1m_max = EXCLUDED.load_1m_max, load_1m_min = EXCLUDED.load_1m_min,
    load_5m_avg = EXCLUDED.load_5m_avg, load_15m_avg = EXCLUDED.load_15m_avg,
    disk_used_pct_max_avg = EXCLUDED.disk_used_pct_max_avg, disk_used_pct_max_max = EXCLUDED.disk_used_pct_max_max,
    disk_used_pct_max_min = EXCLUDED.disk_used_pct_max_min,
    disk_read_bytes_per_sec_avg = EXCLUDED.disk_read_bytes_per_sec_avg,
    disk_read_bytes_per_sec_max = EXCLUDED.disk_read_bytes_per_sec_max,
    disk_write_bytes_per_sec_avg = EXCLUDED.disk_write_bytes_per_sec_avg,
    disk_write_bytes_per_sec_max = EXCLUDED.disk_write_bytes_per_sec_max,
    disk_busy_pct_max_avg = EXCLUDED.disk_busy_pct_max_avg, disk_busy_pct_max_max = EXCLUDED.disk_busy_pct_max_max,
    net_rx_bytes_per_sec_avg = EXCLUDED.net_rx_bytes_per_sec_avg,
    net_rx_bytes_per_sec_max = EXCLUDED.net_rx_bytes_per_sec_max,
    net_tx_bytes_per_sec_avg = EXCLUDED.net_tx_bytes_per_sec_avg,
    net_tx_bytes_per_sec_max = EXCLUDED.net_tx_bytes_per_sec_max,
    net_errors_per_sec_max = EXCLUDED.net_errors_per_sec_max,
    mount_used_pct_max = EXCLUDED.mount_used_pct_max;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- process (one row per watched name) --------------------------------------
  -- restarts: samples whose oldest pid started later than the previous
  -- sample's (1 s of slack for start times derived from jiffies).
  INSERT INTO collector.process_metrics_hourly AS t (
    host, hour, process_name, sample_count,
    process_count_avg, process_count_max, process_count_min, missing_samples,
    cpu_pct_avg, cpu_pct_max, cpu_pct_min, rss_bytes_avg, rss_bytes_max, rss_bytes_min,
    fd_count_avg, fd_count_max, max_fd_count_max, threads_avg, threads_max,
    zombie_count_max, dstate_count_max, uptime_secs_min, restarts)
  SELECT p_host, v_hour, g.process_name, g.n,
    g.process_count_avg, g.process_count_max, g.process_count_min, g.missing_samples,
    g.cpu_pct_avg, g.cpu_pct_max, g.cpu_pct_min, g.rss_bytes_avg, g.rss_bytes_max, g.rss_bytes_min,
    g.fd_count_avg, g.fd_count_max, g.max_fd_count_max, g.threads_avg, g.threads_max,
    g.zombie_count_max, g.dstate_count_max, g.uptime_secs_min, coalesce(d.restarts, 0)
  FROM (
    SELECT r.process_name, count(*) AS n,
      avg(r.process_count) AS process_count_avg, max(r.process_count) AS process_count_max,
      min(r.process_count) AS process_count_min,
      count(*) FILTER (WHERE coalesce(r.missing, r.process_count = 0)) AS missing_samples,
      avg(r.cpu_pct) AS cpu_pct_avg, max(r.cpu_pct) AS cpu_pct_max, min(r.cpu_pct) AS cpu_pct_min,
      avg(r.rss_bytes) AS rss_bytes_avg, max(r.rss_bytes) AS rss_bytes_max, min(r.rss_bytes) AS rss_bytes_min,
      avg(r.fd_count) AS fd_count_avg, max(r.fd_count) AS fd_count_max, max(r.max_fd_count) AS max_fd_count_max,
      avg(r.threads) AS threads_avg, max(r.threads) AS threads_max,
      max(r.zombie_count) AS zombie_count_max, max(r.dstate_count) AS dstate_count_max,
      min(r.uptime_secs) AS uptime_secs_min
    FROM collector.process_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
    GROUP BY r.process_name
  ) g
  LEFT JOIN (
    SELECT s.process_name,
      count(*) FILTER (WHERE s.ts >= v_hour AND s.prev_start IS NOT NULL
                         AND s.start_time > s.prev_start + interval '1 second') AS restarts
    FROM (SELECT r.process_name, r.ts, r.start_time,
                 lag(r.start_time) OVER (PARTITION BY r.process_name ORDER BY r.ts, r.start_time) AS prev_start
          FROM collector.process_metrics_raw r
          WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end AND r.start_time IS NOT NULL) s
    GROUP BY s.process_name
  ) d ON d.process_name = g.process_name
  ON CONFLICT (host, hour, process_name) DO UPDATE SET
    sample_count = EXCLUDED.sample_count,
    process_count_avg = EXCLUDED.process_count_avg, process_count_max = EXCLUDED.process_count_max,
    process_count_min = EXCLUDED.process_count_min, missing_samples = EXCLUDED.missing_samples,
    cpu_pct_avg = EXCLUDED.cpu_pct_avg, cpu_pct_max = EXCLUDED.cpu_pct_max, cpu_pct_min = EXCLUDED.cpu_pct_min,
    rss_bytes_avg = EXCLUDED.rss_bytes_avg, rss_bytes_max = EXCLUDED.rss_bytes_max,
    rss_bytes_min = EXCLUDED.rss_bytes_min,
    fd_count_avg = EXCLUDED.fd_count_avg, fd_count_max = EXCLUDED.fd_count_max,
    max_fd_count_max = EXCLUDED.max_fd_count_max,
    threads_avg = EXCLUDED.threads_avg, threads_max = EXCLUDED.threads_max,
    zombie_count_max = EXCLUDED.zombie_count_max, dstate_count_max = EXCLUDED.dstate_count_max,
    uptime_secs_min = EXCLUDED.uptime_secs_min, restarts = EXCLUDED.restarts;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- api -----------------------------------------------------------------------
  INSERT INTO collector.api_metrics_hourly AS t (
    host, hour, sample_count, up_samples, requests_delta, errors_delta,
    requests_per_sec_avg, requests_per_sec_max, requests_per_sec_min,
    error_rate_pct_avg, error_rate_pct_max, error_rate_pct_min,
    latency_avg_ms_avg, latency_p50_ms_avg, latency_p95_ms_avg, latency_p95_ms_max, latency_p95_ms_min,
    latency_p99_ms_avg, latency_p99_ms_max, latency_max_ms_max,
    active_connections_avg, active_connections_max, cache_hit_ratio_avg, cache_hit_ratio_min)
  SELECT p_host, v_hour, g.n, g.up_samples, d.requests_delta, d.errors_delta,
    g.requests_per_sec_avg, g.requests_per_sec_max, g.requests_per_sec_min,
    g.error_rate_pct_avg, g.error_rate_pct_max, g.error_rate_pct_min,
    g.latency_avg_ms_avg, g.latency_p50_ms_avg, g.latency_p95_ms_avg, g.latency_p95_ms_max, g.latency_p95_ms_min,
    g.latency_p99_ms_avg, g.latency_p99_ms_max, g.latency_max_ms_max,
    g.active_connections_avg, g.active_connections_max, g.cache_hit_ratio_avg, g.cache_hit_ratio_min
  FROM (
    SELECT count(*) AS n, count(*) FILTER (WHERE r.up) AS up_samples,
      avg(r.requests_per_sec) AS requests_per_sec_avg, max(r.requests_per_sec) AS requests_per_sec_max,
      min(r.requests_per_sec) AS requests_per_sec_min,
      avg(r.error_rate_pct) AS error_rate_pct_avg, max(r.error_rate_pct) AS error_rate_pct_max,
      min(r.error_rate_pct) AS error_rate_pct_min,
      avg(r.latency_avg_ms) AS latency_avg_ms_avg, avg(r.latency_p50_ms) AS latency_p50_ms_avg,
      avg(r.latency_p95_ms) AS latency_p95_ms_avg, max(r.latency_p95_ms) AS latency_p95_ms_max,
      min(r.latency_p95_ms) AS latency_p95_ms_min,
      avg(r.latency_p99_ms) AS latency_p99_ms_avg, max(r.latency_p99_ms) AS latency_p99_ms_max,
      max(r.latency_max_ms) AS latency_max_ms_max,
      avg(r.active_connections) AS active_connections_avg, max(r.active_connections) AS active_connections_max,
      avg(r.cache_hit_ratio) AS cache_hit_ratio_avg, min(r.cache_hit_ratio) AS cache_hit_ratio_min
    FROM collector.api_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
    HAVING count(*) > 0
  ) g
  CROSS JOIN (
    SELECT collector.counter_increase(r.requests_total, r.ts >= v_hour ORDER BY r.ts, r.requests_total) AS requests_delta,
           collector.counter_increase(r.errors_total, r.ts >= v_hour ORDER BY r.ts, r.errors_total) AS errors_delta
    FROM collector.api_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end
  ) d
  ON CONFLICT (host, hour) DO UPDATE SET
    sample_count = EXCLUDED.sample_count, up_samples = EXCLUDED.up_samples,
    requests_delta = EXCLUDED.requests_delta, errors_delta = EXCLUDED.errors_delta,
    requests_per_sec_avg = EXCLUDED.requests_per_sec_avg, requests_per_sec_max = EXCLUDED.requests_per_sec_max,
    requests_per_sec_min = EXCLUDED.requests_per_sec_min,
    error_rate_pct_avg = EXCLUDED.error_rate_pct_avg, error_rate_pct_max = EXCLUDED.error_rate_pct_max,
    error_rate_pct_min = EXCLUDED.error_rate_pct_min,
    latency_avg_ms_avg = EXCLUDED.latency_avg_ms_avg, latency_p50_ms_avg = EXCLUDED.latency_p50_ms_avg,
    latency_p95_ms_avg = EXCLUDED.latency_p95_ms_avg, latency_p95_ms_max = EXCLUDED.latency_p95_ms_max,
    latency_p95_ms_min = EXCLUDED.latency_p95_ms_min,
    latency_p99_ms_avg = EXCLUDED.latency_p99_ms_avg, latency_p99_ms_max = EXCLUDED.latency_p99_ms_max,
    latency_max_ms_max = EXCLUDED.latency_max_ms_max,
    active_connections_avg = EXCLUDED.active_connections_avg,
    active_connections_max = EXCLUDED.active_connections_max,
    cache_hit_ratio_avg = EXCLUDED.cache_hit_ratio_avg, cache_hit_ratio_min = EXCLUDED.cache_hit_ratio_min;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- proxy ---------------------------------------------------------------------
  INSERT INTO collector.proxy_metrics_hourly AS t (
    host, hour, sample_count, up_samples, connections_active_avg, connections_active_max,
    requests_delta, requests_per_sec_avg, requests_per_sec_max, errors_delta,
    tls_handshakes_delta, tls_handshake_failures_delta, tls_handshake_avg_ms_avg,
    rate_limited_delta, upstream_errors_delta,
    upstream_latency_p95_ms_avg, upstream_latency_p95_ms_max,
    upstream_latency_p99_ms_avg, upstream_latency_p99_ms_max)
  SELECT p_host, v_hour, g.n, g.up_samples, g.connections_active_avg, g.connections_active_max,
    d.requests_delta, g.requests_per_sec_avg, g.requests_per_sec_max, d.errors_delta,
    d.tls_handshakes_delta, d.tls_handshake_failures_delta, g.tls_handshake_avg_ms_avg,
    d.rate_limited_delta, d.upstream_errors_delta,
    g.upstream_latency_p95_ms_avg, g.upstream_latency_p95_ms_max,
    g.upstream_latency_p99_ms_avg, g.upstream_latency_p99_ms_max
  FROM (
    SELECT count(*) AS n, count(*) FILTER (WHERE r.up) AS up_samples,
      avg(r.connections_active) AS connections_active_avg, max(r.connections_active) AS connections_active_max,
      avg(r.requests_per_sec) AS requests_per_sec_avg, max(r.requests_per_sec) AS requests_per_sec_max,
      avg(r.tls_handshake_avg_ms) AS tls_handshake_avg_ms_avg,
      avg(r.upstream_latency_p95_ms) AS upstream_latency_p95_ms_avg,
      max(r.upstream_latency_p95_ms) AS upstream_latency_p95_ms_max,
      avg(r.upstream_latency_p99_ms) AS upstream_latency_p99_ms_avg,
      max(r.upstream_latency_p99_ms) AS upstream_latency_p99_ms_max
    FROM collector.proxy_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
    HAVING count(*) > 0
  ) g
  CROSS JOIN (
    SELECT
      collector.counter_increase(r.requests_total, r.ts >= v_hour ORDER BY r.ts, r.requests_total) AS requests_delta,
      collector.counter_increase(r.errors_total, r.ts >= v_hour ORDER BY r.ts, r.errors_total) AS errors_delta,
      collector.counter_increase(r.tls_handshakes_total, r.ts >= v_hour
                                 ORDER BY r.ts, r.tls_handshakes_total) AS tls_handshakes_delta,
      collector.counter_increase(r.tls_handshake_failures_total, r.ts >= v_hour
                                 ORDER BY r.ts, r.tls_handshake_failures_total) AS tls_handshake_failures_delta,
      collector.counter_increase(r.rate_limited_total, r.ts >= v_hour
                                 ORDER BY r.ts, r.rate_limited_total) AS rate_limited_delta,
      collector.counter_increase(r.upstream_errors_total, r.ts >= v_hour
                                 ORDER BY r.ts, r.upstream_errors_total) AS upstream_errors_delta
    FROM collector.proxy_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end
  ) d
  ON CONFLICT (host, hour) DO UPDATE SET
    sample_count = EXCLUDED.sample_count, up_samples = EXCLUDED.up_samples,
    connections_active_avg = EXCLUDED.connections_active_avg,
    connections_active_max = EXCLUDED.connections_active_max,
    requests_delta = EXCLUDED.requests_delta,
    requests_per_sec_avg = EXCLUDED.requests_per_sec_avg, requests_per_sec_max = EXCLUDED.requests_per_sec_max,
    errors_delta = EXCLUDED.errors_delta,
    tls_handshakes_delta = EXCLUDED.tls_handshakes_delta,
    tls_handshake_failures_delta = EXCLUDED.tls_handshake_failures_delta,
    tls_handshake_avg_ms_avg = EXCLUDED.tls_handshake_avg_ms_avg,
    rate_limited_delta = EXCLUDED.rate_limited_delta, upstream_errors_delta = EXCLUDED.upstream_errors_delta,
    upstream_latency_p95_ms_avg = EXCLUDED.upstream_latency_p95_ms_avg,
    upstream_latency_p95_ms_max = EXCLUDED.upstream_latency_p95_ms_max,
    upstream_latency_p99_ms_avg = EXCLUDED.upstream_latency_p99_ms_avg,
    upstream_latency_p99_ms_max = EXCLUDED.upstream_latency_p99_ms_max;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- db (one monitored database per host) --------------------------------------
  INSERT INTO collector.db_metrics_hourly AS t (
    host, hour, sample_count,
    connections_total_avg, connections_total_max, connections_total_min,
    connections_active_avg, connections_active_max, connections_idle_in_transaction_max,
    connections_waiting_avg, connections_waiting_max, connections_used_pct_max,
    cache_hit_ratio_avg, cache_hit_ratio_max, cache_hit_ratio_min,
    xact_commit_per_sec_avg, xact_commit_per_sec_max, xact_rollback_per_sec_avg, xact_rollback_per_sec_max,
    blks_read_per_sec_avg, blks_read_per_sec_max,
    temp_bytes_delta, deadlocks_delta, conflicts_delta,
    longest_xact_secs_max, database_size_bytes_max,
    wal_bytes_per_sec_avg, wal_bytes_per_sec_max, wal_bytes_delta,
    checkpoints_timed_delta, checkpoints_req_delta, locks_waiting_max)
  SELECT p_host, v_hour, g.n,
    g.connections_total_avg, g.connections_total_max, g.connections_total_min,
    g.connections_active_avg, g.connections_active_max, g.connections_idle_in_transaction_max,
    g.connections_waiting_avg, g.connections_waiting_max, g.connections_used_pct_max,
    g.cache_hit_ratio_avg, g.cache_hit_ratio_max, g.cache_hit_ratio_min,
    g.xact_commit_per_sec_avg, g.xact_commit_per_sec_max, g.xact_rollback_per_sec_avg, g.xact_rollback_per_sec_max,
    g.blks_read_per_sec_avg, g.blks_read_per_sec_max,
    d.temp_bytes_delta, d.deadlocks_delta, d.conflicts_delta,
    g.longest_xact_secs_max, g.database_size_bytes_max,
    g.wal_bytes_per_sec_avg, g.wal_bytes_per_sec_max, d.wal_bytes_delta,
    d.checkpoints_timed_delta, d.checkpoints_req_delta, g.locks_waiting_max
  FROM (
    SELECT count(*) AS n,
      avg(r.connections_total) AS connections_total_avg, max(r.connections_total) AS connections_total_max,
      min(r.connections_total) AS connections_total_min,
      avg(r.connections_active) AS connections_active_avg, max(r.connections_active) AS connections_active_max,
      max(r.connections_idle_in_transaction) AS connections_idle_in_transaction_max,
      avg(r.connections_waiting) AS connections_waiting_avg, max(r.connections_waiting) AS connections_waiting_max,
      max(r.connections_used_pct) AS connections_used_pct_max,
      avg(r.cache_hit_ratio) AS cache_hit_ratio_avg, max(r.cache_hit_ratio) AS cache_hit_ratio_max,
      min(r.cache_hit_ratio) AS cache_hit_ratio_min,
      avg(r.xact_commit_per_sec) AS xact_commit_per_sec_avg, max(r.xact_commit_per_sec) AS xact_commit_per_sec_max,
      avg(r.xact_rollback_per_sec) AS xact_rollback_per_sec_avg,
      max(r.xact_rollback_per_sec) AS xact_rollback_per_sec_max,
      avg(r.blks_read_per_sec) AS blks_read_per_sec_avg, max(r.blks_read_per_sec) AS blks_read_per_sec_max,
      max(r.longest_xact_secs) AS longest_xact_secs_max, max(r.database_size_bytes) AS database_size_bytes_max,
      avg(r.wal_bytes_per_sec) AS wal_bytes_per_sec_avg, max(r.wal_bytes_per_sec) AS wal_bytes_per_sec_max,
      max(r.locks_waiting) AS locks_waiting_max
    FROM collector.db_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
    HAVING count(*) > 0
  ) g
  CROSS JOIN (
    SELECT
      collector.counter_increase(r.temp_bytes, r.ts >= v_hour ORDER BY r.ts, r.temp_bytes) AS temp_bytes_delta,
      collector.counter_increase(r.deadlocks, r.ts >= v_hour ORDER BY r.ts, r.deadlocks) AS deadlocks_delta,
      collector.counter_increase(r.conflicts, r.ts >= v_hour ORDER BY r.ts, r.conflicts) AS conflicts_delta,
      collector.counter_increase(r.wal_bytes, r.ts >= v_hour ORDER BY r.ts, r.wal_bytes) AS wal_bytes_delta,
      collector.counter_increase(r.checkpoints_timed, r.ts >= v_hour
                                 ORDER BY r.ts, r.checkpoints_timed) AS checkpoints_timed_delta,
      collector.counter_increase(r.checkpoints_req, r.ts >= v_hour
                                 ORDER BY r.ts, r.checkpoints_req) AS checkpoints_req_delta
    FROM collector.db_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end
  ) d
  ON CONFLICT (host, hour) DO UPDATE SET
    sample_count = EXCLUDED.sample_count,
    connections_total_avg = EXCLUDED.connections_total_avg, connections_total_max = EXCLUDED.connections_total_max,
    connections_total_min = EXCLUDED.connections_total_min,
    connections_active_avg = EXCLUDED.connections_active_avg,
    connections_active_max = EXCLUDED.connections_active_max,
    connections_idle_in_transaction_max = EXCLUDED.connections_idle_in_transaction_max,
    connections_waiting_avg = EXCLUDED.connections_waiting_avg,
    connections_waiting_max = EXCLUDED.connections_waiting_max,
    connections_used_pct_max = EXCLUDED.connections_used_pct_max,
    cache_hit_ratio_avg = EXCLUDED.cache_hit_ratio_avg, cache_hit_ratio_max = EXCLUDED.cache_hit_ratio_max,
    cache_hit_ratio_min = EXCLUDED.cache_hit_ratio_min,
    xact_commit_per_sec_avg = EXCLUDED.xact_commit_per_sec_avg,
    xact_commit_per_sec_max = EXCLUDED.xact_commit_per_sec_max,
    xact_rollback_per_sec_avg = EXCLUDED.xact_rollback_per_sec_avg,
    xact_rollback_per_sec_max = EXCLUDED.xact_rollback_per_sec_max,
    blks_read_per_sec_avg = EXCLUDED.blks_read_per_sec_avg, blks_read_per_sec_max = EXCLUDED.blks_read_per_sec_max,
    temp_bytes_delta = EXCLUDED.temp_bytes_delta, deadlocks_delta = EXCLUDED.deadlocks_delta,
    conflicts_delta = EXCLUDED.conflicts_delta,
    longest_xact_secs_max = EXCLUDED.longest_xact_secs_max,
    database_size_bytes_max = EXCLUDED.database_size_bytes_max,
    wal_bytes_per_sec_avg = EXCLUDED.wal_bytes_per_sec_avg, wal_bytes_per_sec_max = EXCLUDED.wal_bytes_per_sec_max,
    wal_bytes_delta = EXCLUDED.wal_bytes_delta,
    checkpoints_timed_delta = EXCLUDED.checkpoints_timed_delta,
    checkpoints_req_delta = EXCLUDED.checkpoints_req_delta,
    locks_waiting_max = EXCLUDED.locks_waiting_max;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- table (pg_stat_user_tables) -------------------------------------------------
  INSERT INTO collector.table_metrics_hourly AS t (
    host, hour, database_name, schema_name, table_name, sample_count,
    n_live_tup_avg, n_live_tup_max, n_live_tup_min, n_dead_tup_avg, n_dead_tup_max, n_dead_tup_min,
    dead_tup_ratio_avg, dead_tup_ratio_max, dead_tup_ratio_min,
    seq_scan_delta, seq_tup_read_delta, idx_scan_delta, idx_tup_fetch_delta,
    n_tup_ins_delta, n_tup_upd_delta, n_tup_del_delta, n_tup_hot_upd_delta,
    vacuum_delta, autovacuum_delta,
    total_size_bytes_avg, total_size_bytes_max, total_size_bytes_min)
  SELECT p_host, v_hour, g.database_name, g.schema_name, g.table_name, g.n,
    g.n_live_tup_avg, g.n_live_tup_max, g.n_live_tup_min, g.n_dead_tup_avg, g.n_dead_tup_max, g.n_dead_tup_min,
    g.dead_tup_ratio_avg, g.dead_tup_ratio_max, g.dead_tup_ratio_min,
    d.seq_scan_delta, d.seq_tup_read_delta, d.idx_scan_delta, d.idx_tup_fetch_delta,
    d.n_tup_ins_delta, d.n_tup_upd_delta, d.n_tup_del_delta, d.n_tup_hot_upd_delta,
    d.vacuum_delta, d.autovacuum_delta,
    g.total_size_bytes_avg, g.total_size_bytes_max, g.total_size_bytes_min
  FROM (
    SELECT coalesce(r.database_name, '') AS database_name, r.schema_name, r.table_name, count(*) AS n,
      avg(r.n_live_tup) AS n_live_tup_avg, max(r.n_live_tup) AS n_live_tup_max, min(r.n_live_tup) AS n_live_tup_min,
      avg(r.n_dead_tup) AS n_dead_tup_avg, max(r.n_dead_tup) AS n_dead_tup_max, min(r.n_dead_tup) AS n_dead_tup_min,
      avg(r.dead_tup_ratio) AS dead_tup_ratio_avg, max(r.dead_tup_ratio) AS dead_tup_ratio_max,
      min(r.dead_tup_ratio) AS dead_tup_ratio_min,
      avg(r.total_size_bytes) AS total_size_bytes_avg, max(r.total_size_bytes) AS total_size_bytes_max,
      min(r.total_size_bytes) AS total_size_bytes_min
    FROM collector.table_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
    GROUP BY 1, 2, 3
  ) g
  LEFT JOIN (
    SELECT coalesce(r.database_name, '') AS database_name, r.schema_name, r.table_name,
      collector.counter_increase(r.seq_scan, r.ts >= v_hour ORDER BY r.ts, r.seq_scan) AS seq_scan_delta,
      collector.counter_increase(r.seq_tup_read, r.ts >= v_hour ORDER BY r.ts, r.seq_tup_read) AS seq_tup_read_delta,
      collector.counter_increase(r.idx_scan, r.ts >= v_hour ORDER BY r.ts, r.idx_scan) AS idx_scan_delta,
      collector.counter_increase(r.idx_tup_fetch, r.ts >= v_hour ORDER BY r.ts, r.idx_tup_fetch) AS idx_tup_fetch_delta,
      collector.counter_increase(r.n_tup_ins, r.ts >= v_hour ORDER BY r.ts, r.n_tup_ins) AS n_tup_ins_delta,
      collector.counter_increase(r.n_tup_upd, r.ts >= v_hour ORDER BY r.ts, r.n_tup_upd) AS n_tup_upd_delta,
      collector.counter_increase(r.n_tup_del, r.ts >= v_hour ORDER BY r.ts, r.n_tup_del) AS n_tup_del_delta,
      collector.counter_increase(r.n_tup_hot_upd, r.ts >= v_hour ORDER BY r.ts, r.n_tup_hot_upd) AS n_tup_hot_upd_delta,
      collector.counter_increase(r.vacuum_count, r.ts >= v_hour ORDER BY r.ts, r.vacuum_count) AS vacuum_delta,
      collector.counter_increase(r.autovacuum_count, r.ts >= v_hour ORDER BY r.ts, r.autovacuum_count) AS autovacuum_delta
    FROM collector.table_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end
    GROUP BY 1, 2, 3
  ) d ON d.database_name = g.database_name AND d.schema_name = g.schema_name AND d.table_name = g.table_name
  ON CONFLICT (host, hour, database_name, schema_name, table_name) DO UPDATE SET
    sample_count = EXCLUDED.sample_count,
    n_live_tup_avg = EXCLUDED.n_live_tup_avg, n_live_tup_max = EXCLUDED.n_live_tup_max,
    n_live_tup_min = EXCLUDED.n_live_tup_min,
    n_dead_tup_avg = EXCLUDED.n_dead_tup_avg, n_dead_tup_max = EXCLUDED.n_dead_tup_max,
    n_dead_tup_min = EXCLUDED.n_dead_tup_min,
    dead_tup_ratio_avg = EXCLUDED.dead_tup_ratio_avg, dead_tup_ratio_max = EXCLUDED.dead_tup_ratio_max,
    dead_tup_ratio_min = EXCLUDED.dead_tup_ratio_min,
    seq_scan_delta = EXCLUDED.seq_scan_delta, seq_tup_read_delta = EXCLUDED.seq_tup_read_delta,
    idx_scan_delta = EXCLUDED.idx_scan_delta, idx_tup_fetch_delta = EXCLUDED.idx_tup_fetch_delta,
    n_tup_ins_delta = EXCLUDED.n_tup_ins_delta, n_tup_upd_delta = EXCLUDED.n_tup_upd_delta,
    n_tup_del_delta = EXCLUDED.n_tup_del_delta, n_tup_hot_upd_delta = EXCLUDED.n_tup_hot_upd_delta,
    vacuum_delta = EXCLUDED.vacuum_delta, autovacuum_delta = EXCLUDED.autovacuum_delta,
    total_size_bytes_avg = EXCLUDED.total_size_bytes_avg, total_size_bytes_max = EXCLUDED.total_size_bytes_max,
    total_size_bytes_min = EXCLUDED.total_size_bytes_min;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- io (pg_statio_user_tables) --------------------------------------------------
  INSERT INTO collector.io_metrics_hourly AS t (
    host, hour, database_name, schema_name, table_name, sample_count,
    heap_blks_read_delta, heap_blks_hit_delta, idx_blks_read_delta, idx_blks_hit_delta,
    toast_blks_read_delta, toast_blks_hit_delta, tidx_blks_read_delta, tidx_blks_hit_delta,
    heap_hit_ratio_avg, heap_hit_ratio_min)
  SELECT p_host, v_hour, g.database_name, g.schema_name, g.table_name, g.n,
    d.heap_blks_read_delta, d.heap_blks_hit_delta, d.idx_blks_read_delta, d.idx_blks_hit_delta,
    d.toast_blks_read_delta, d.toast_blks_hit_delta, d.tidx_blks_read_delta, d.tidx_blks_hit_delta,
    g.heap_hit_ratio_avg, g.heap_hit_ratio_min
  FROM (
    SELECT coalesce(r.database_name, '') AS database_name, r.schema_name, r.table_name, count(*) AS n,
      avg(r.heap_hit_ratio) AS heap_hit_ratio_avg, min(r.heap_hit_ratio) AS heap_hit_ratio_min
    FROM collector.io_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
    GROUP BY 1, 2, 3
  ) g
  LEFT JOIN (
    SELECT coalesce(r.database_name, '') AS database_name, r.schema_name, r.table_name,
      collector.counter_increase(r.heap_blks_read, r.ts >= v_hour ORDER BY r.ts, r.heap_blks_read) AS heap_blks_read_delta,
      collector.counter_increase(r.heap_blks_hit, r.ts >= v_hour ORDER BY r.ts, r.heap_blks_hit) AS heap_blks_hit_delta,
      collector.counter_increase(r.idx_blks_read, r.ts >= v_hour ORDER BY r.ts, r.idx_blks_read) AS idx_blks_read_delta,
      collector.counter_increase(r.idx_blks_hit, r.ts >= v_hour ORDER BY r.ts, r.idx_blks_hit) AS idx_blks_hit_delta,
      collector.counter_increase(r.toast_blks_read, r.ts >= v_hour ORDER BY r.ts, r.toast_blks_read) AS toast_blks_read_delta,
      collector.counter_increase(r.toast_blks_hit, r.ts >= v_hour ORDER BY r.ts, r.toast_blks_hit) AS toast_blks_hit_delta,
      collector.counter_increase(r.tidx_blks_read, r.ts >= v_hour ORDER BY r.ts, r.tidx_blks_read) AS tidx_blks_read_delta,
      collector.counter_increase(r.tidx_blks_hit, r.ts >= v_hour ORDER BY r.ts, r.tidx_blks_hit) AS tidx_blks_hit_delta
    FROM collector.io_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end
    GROUP BY 1, 2, 3
  ) d ON d.database_name = g.database_name AND d.schema_name = g.schema_name AND d.table_name = g.table_name
  ON CONFLICT (host, hour, database_name, schema_name, table_name) DO UPDATE SET
    sample_count = EXCLUDED.sample_count,
    heap_blks_read_delta = EXCLUDED.heap_blks_read_delta, heap_blks_hit_delta = EXCLUDED.heap_blks_hit_delta,
    idx_blks_read_delta = EXCLUDED.idx_blks_read_delta, idx_blks_hit_delta = EXCLUDED.idx_blks_hit_delta,
    toast_blks_read_delta = EXCLUDED.toast_blks_read_delta, toast_blks_hit_delta = EXCLUDED.toast_blks_hit_delta,
    tidx_blks_read_delta = EXCLUDED.tidx_blks_read_delta, tidx_blks_hit_delta = EXCLUDED.tidx_blks_hit_delta,
    heap_hit_ratio_avg = EXCLUDED.heap_hit_ratio_avg, heap_hit_ratio_min = EXCLUDED.heap_hit_ratio_min;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- index (pg_stat_user_indexes) ------------------------------------------------
  INSERT INTO collector.index_metrics_hourly AS t (
    host, hour, database_name, schema_name, index_name, sample_count, table_name,
    idx_scan_delta, idx_tup_read_delta, idx_tup_fetch_delta,
    index_size_bytes_avg, index_size_bytes_max, bloat_pct_avg, bloat_pct_max)
  SELECT p_host, v_hour, g.database_name, g.schema_name, g.index_name, g.n, g.table_name,
    d.idx_scan_delta, d.idx_tup_read_delta, d.idx_tup_fetch_delta,
    g.index_size_bytes_avg, g.index_size_bytes_max, g.bloat_pct_avg, g.bloat_pct_max
  FROM (
    SELECT coalesce(r.database_name, '') AS database_name, r.schema_name, r.index_name, count(*) AS n,
      max(r.table_name) AS table_name,
      avg(r.index_size_bytes) AS index_size_bytes_avg, max(r.index_size_bytes) AS index_size_bytes_max,
      avg(r.bloat_pct) AS bloat_pct_avg, max(r.bloat_pct) AS bloat_pct_max
    FROM collector.index_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
    GROUP BY 1, 2, 3
  ) g
  LEFT JOIN (
    SELECT coalesce(r.database_name, '') AS database_name, r.schema_name, r.index_name,
      collector.counter_increase(r.idx_scan, r.ts >= v_hour ORDER BY r.ts, r.idx_scan) AS idx_scan_delta,
      collector.counter_increase(r.idx_tup_read, r.ts >= v_hour ORDER BY r.ts, r.idx_tup_read) AS idx_tup_read_delta,
      collector.counter_increase(r.idx_tup_fetch, r.ts >= v_hour ORDER BY r.ts, r.idx_tup_fetch) AS idx_tup_fetch_delta
    FROM collector.index_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end
    GROUP BY 1, 2, 3
  ) d ON d.database_name = g.database_name AND d.schema_name = g.schema_name AND d.index_name = g.index_name
  ON CONFLICT (host, hour, database_name, schema_name, index_name) DO UPDATE SET
    sample_count = EXCLUDED.sample_count, table_name = EXCLUDED.table_name,
    idx_scan_delta = EXCLUDED.idx_scan_delta, idx_tup_read_delta = EXCLUDED.idx_tup_read_delta,
    idx_tup_fetch_delta = EXCLUDED.idx_tup_fetch_delta,
    index_size_bytes_avg = EXCLUDED.index_size_bytes_avg, index_size_bytes_max = EXCLUDED.index_size_bytes_max,
    bloat_pct_avg = EXCLUDED.bloat_pct_avg, bloat_pct_max = EXCLUDED.bloat_pct_max;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- replication (pg_stat_replication, per replica) -----------------------------
  INSERT INTO collector.replication_metrics_hourly AS t (
    host, hour, application_name, client_addr, sample_count,
    write_lag_ms_avg, write_lag_ms_max, flush_lag_ms_avg, flush_lag_ms_max,
    replay_lag_ms_avg, replay_lag_ms_max, replay_lag_ms_min,
    replay_lag_bytes_avg, replay_lag_bytes_max, streaming_samples)
  SELECT p_host, v_hour, coalesce(r.application_name, ''), coalesce(r.client_addr, ''), count(*),
    avg(r.write_lag_ms), max(r.write_lag_ms), avg(r.flush_lag_ms), max(r.flush_lag_ms),
    avg(r.replay_lag_ms), max(r.replay_lag_ms), min(r.replay_lag_ms),
    avg(r.replay_lag_bytes), max(r.replay_lag_bytes),
    count(*) FILTER (WHERE r.state = 'streaming')
  FROM collector.replication_metrics_raw r
  WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end
  GROUP BY 3, 4
  ON CONFLICT (host, hour, application_name, client_addr) DO UPDATE SET
    sample_count = EXCLUDED.sample_count,
    write_lag_ms_avg = EXCLUDED.write_lag_ms_avg, write_lag_ms_max = EXCLUDED.write_lag_ms_max,
    flush_lag_ms_avg = EXCLUDED.flush_lag_ms_avg, flush_lag_ms_max = EXCLUDED.flush_lag_ms_max,
    replay_lag_ms_avg = EXCLUDED.replay_lag_ms_avg, replay_lag_ms_max = EXCLUDED.replay_lag_ms_max,
    replay_lag_ms_min = EXCLUDED.replay_lag_ms_min,
    replay_lag_bytes_avg = EXCLUDED.replay_lag_bytes_avg, replay_lag_bytes_max = EXCLUDED.replay_lag_bytes_max,
    streaming_samples = EXCLUDED.streaming_samples;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- statement (pg_stat_statements top N; rows without a queryid are skipped) ----
  INSERT INTO collector.statement_metrics_hourly AS t (
    host, hour, database_name, username, queryid, toplevel, sample_count, query,
    calls_delta, rows_delta, total_exec_time_ms_delta,
    mean_exec_time_ms_avg, mean_exec_time_ms_max, max_exec_time_ms_max,
    shared_blks_hit_delta, shared_blks_read_delta, shared_blks_dirtied_delta, temp_blks_written_delta)
  SELECT p_host, v_hour, g.database_name, g.username, g.queryid, g.toplevel, g.n, g.query,
    d.calls_delta, d.rows_delta, d.total_exec_time_ms_delta,
    g.mean_exec_time_ms_avg, g.mean_exec_time_ms_max, g.max_exec_time_ms_max,
    d.shared_blks_hit_delta, d.shared_blks_read_delta, d.shared_blks_dirtied_delta, d.temp_blks_written_delta
  FROM (
    SELECT coalesce(r.database_name, '') AS database_name, coalesce(r.username, '') AS username, r.queryid,
      coalesce(r.toplevel, true) AS toplevel, count(*) AS n,
      (array_agg(r.query ORDER BY r.ts DESC, r.query) FILTER (WHERE r.query IS NOT NULL))[1] AS query,
      avg(r.mean_exec_time_ms) AS mean_exec_time_ms_avg, max(r.mean_exec_time_ms) AS mean_exec_time_ms_max,
      max(r.max_exec_time_ms) AS max_exec_time_ms_max
    FROM collector.statement_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_hour AND r.ts < v_end AND r.queryid IS NOT NULL
    GROUP BY 1, 2, 3, 4
  ) g
  LEFT JOIN (
    SELECT coalesce(r.database_name, '') AS database_name, coalesce(r.username, '') AS username, r.queryid,
      coalesce(r.toplevel, true) AS toplevel,
      collector.counter_increase(r.calls, r.ts >= v_hour ORDER BY r.ts, r.calls) AS calls_delta,
      collector.counter_increase(r.rows, r.ts >= v_hour ORDER BY r.ts, r.rows) AS rows_delta,
      collector.counter_increase(r.total_exec_time_ms, r.ts >= v_hour
                                 ORDER BY r.ts, r.total_exec_time_ms) AS total_exec_time_ms_delta,
      collector.counter_increase(r.shared_blks_hit, r.ts >= v_hour ORDER BY r.ts, r.shared_blks_hit) AS shared_blks_hit_delta,
      collector.counter_increase(r.shared_blks_read, r.ts >= v_hour ORDER BY r.ts, r.shared_blks_read) AS shared_blks_read_delta,
      collector.counter_increase(r.shared_blks_dirtied, r.ts >= v_hour
                                 ORDER BY r.ts, r.shared_blks_dirtied) AS shared_blks_dirtied_delta,
      collector.counter_increase(r.temp_blks_written, r.ts >= v_hour
                                 ORDER BY r.ts, r.temp_blks_written) AS temp_blks_written_delta
    FROM collector.statement_metrics_raw r
    WHERE r.host = p_host AND r.ts >= v_prev AND r.ts < v_end AND r.queryid IS NOT NULL
    GROUP BY 1, 2, 3, 4
  ) d ON d.database_name = g.database_name AND d.username = g.username AND d.queryid = g.queryid
         AND d.toplevel = g.toplevel
  ON CONFLICT (host, hour, database_name, username, queryid, toplevel) DO UPDATE SET
    sample_count = EXCLUDED.sample_count, query = EXCLUDED.query,
    calls_delta = EXCLUDED.calls_delta, rows_delta = EXCLUDED.rows_delta,
    total_exec_time_ms_delta = EXCLUDED.total_exec_time_ms_delta,
    mean_exec_time_ms_avg = EXCLUDED.mean_exec_time_ms_avg, mean_exec_time_ms_max = EXCLUDED.mean_exec_time_ms_max,
    max_exec_time_ms_max = EXCLUDED.max_exec_time_ms_max,
    shared_blks_hit_delta = EXCLUDED.shared_blks_hit_delta, shared_blks_read_delta = EXCLUDED.shared_blks_read_delta,
    shared_blks_dirtied_delta = EXCLUDED.shared_blks_dirtied_delta,
    temp_blks_written_delta = EXCLUDED.temp_blks_written_delta;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  -- logs: entries per source and level -----------------------------------------
  INSERT INTO collector.log_metrics_hourly AS t (host, hour, source, level, entry_count)
  SELECT p_host, v_hour, l.source, l.level, count(*)
  FROM collector.log_entries l
  WHERE l.host = p_host AND l.ts >= v_hour AND l.ts < v_end
  GROUP BY l.source, l.level
  ON CONFLICT (host, hour, source, level) DO UPDATE SET entry_count = EXCLUDED.entry_count;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_total := v_total + v_n;

  RETURN v_total;
END
$fn$;

-- ---------------------------------------------------------------------------
-- Daily rollup
-- ---------------------------------------------------------------------------

-- Rolls up one UTC day of p_hourly into p_daily for one host; returns rows
-- written. The statement is derived from p_daily's columns by name:
-- primary-key columns other than host/day are grouped on; sample_count,
-- *_samples, *_delta and restarts are summed; *_avg is the average weighted
-- by sample_count; *_max / *_min are the max / min (a JSONB *_max is merged
-- per key with collector.jsonb_max_merge). Any other column is an error, so a
-- column added to a daily table must follow the naming convention.
CREATE OR REPLACE FUNCTION collector.rollup_day_table(p_hourly regclass, p_daily regclass, p_host text, p_day date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  c       record;
  v_cols  text[] := '{}';
  v_sel   text[] := '{}';
  v_keys  text[] := '{}';
  v_group text[] := '{}';
  v_set   text[] := '{}';
  v_expr  text;
  v_lo    timestamptz := (to_char(p_day, 'YYYY-MM-DD') || ' 00:00:00+00')::timestamptz;
  v_sql   text;
  v_n     integer;
BEGIN
  FOR c IN
    SELECT a.attname::text AS name, a.atttypid = 'jsonb'::regtype AS is_jsonb,
           a.attnum = ANY (i.indkey::int2[]) AS is_key
    FROM pg_attribute a
    JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
    WHERE a.attrelid = p_daily AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attnum
  LOOP
    v_cols := v_cols || quote_ident(c.name);
    IF c.is_key THEN
      v_keys := v_keys || quote_ident(c.name);
      v_expr := CASE c.name WHEN 'host' THEN '$1' WHEN 'day' THEN '$2' ELSE 'h.' || quote_ident(c.name) END;
      IF c.name NOT IN ('host', 'day') THEN
        v_group := v_group || ('h.' || quote_ident(c.name));
      END IF;
    ELSE
      v_expr := CASE
        WHEN c.name IN ('sample_count', 'restarts') OR c.name LIKE '%\_samples' OR c.name LIKE '%\_delta'
          THEN format('sum(h.%I)', c.name)
        WHEN c.name LIKE '%\_avg'
          THEN format('sum(h.%1$I * h.sample_count) / nullif(sum(h.sample_count) FILTER (WHERE h.%1$I IS NOT NULL), 0)',
                      c.name)
        WHEN c.name LIKE '%\_max' AND c.is_jsonb THEN format('collector.jsonb_max_merge(h.%I)', c.name)
        WHEN c.name LIKE '%\_max' THEN format('max(h.%I)', c.name)
        WHEN c.name LIKE '%\_min' THEN format('min(h.%I)', c.name)
      END;
      IF v_expr IS NULL THEN
        RAISE EXCEPTION 'rollup_day_table: no daily aggregate for %.% (name it *_avg, *_max, *_min, *_delta or *_samples)',
          p_daily, c.name;
      END IF;
      v_set := v_set || format('%1$I = EXCLUDED.%1$I', c.name);
    END IF;
    v_sel := v_sel || v_expr;
  END LOOP;
  IF NOT ('host' = ANY (v_keys) AND 'day' = ANY (v_keys)) THEN
    RAISE EXCEPTION 'rollup_day_table: % must have a primary key on (host, day, ...)', p_daily;
  END IF;

  v_sql := format(
    'INSERT INTO %s AS t (%s) SELECT %s FROM %s h '
    'WHERE h.host = $1 AND h.hour >= $3 AND h.hour < $3 + interval ''1 day'' %s HAVING count(*) > 0 '
    'ON CONFLICT (%s) DO UPDATE SET %s',
    p_daily, array_to_string(v_cols, ', '), array_to_string(v_sel, ', '), p_hourly,
    CASE WHEN cardinality(v_group) > 0 THEN 'GROUP BY ' || array_to_string(v_group, ', ') ELSE '' END,
    array_to_string(v_keys, ', '), array_to_string(v_set, ', '));
  EXECUTE v_sql USING p_host, p_day, v_lo;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END
$fn$;

-- Rolls up one UTC day for one host into every *_daily table from its
-- *_hourly table; returns the rows written. Run it once the day's hours are
-- rolled up (the host does, from collector.rollup_state).
CREATE OR REPLACE FUNCTION collector.rollup_day(p_host text, p_day date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_total integer := 0;
  v_name  text;
BEGIN
  IF p_host IS NULL OR p_day IS NULL THEN
    RAISE EXCEPTION 'rollup_day: p_host and p_day are required';
  END IF;
  FOREACH v_name IN ARRAY ARRAY['system_metrics', 'process_metrics', 'api_metrics', 'proxy_metrics',
                                'db_metrics', 'table_metrics', 'io_metrics']
  LOOP
    v_total := v_total + collector.rollup_day_table(
      format('collector.%I', v_name || '_hourly')::regclass,
      format('collector.%I', v_name || '_daily')::regclass,
      p_host, p_day);
  END LOOP;
  RETURN v_total;
END
$fn$;
