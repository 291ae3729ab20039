import PluginKit

/// The AppMetrics plugin owns its tables: `api_metrics_raw`, `proxy_metrics_raw`,
/// their hourly and daily rollup tables and their rollup declarations.
public enum AppSchema {
    /// In order; applied after the core migrations, each once, recorded as
    /// "app_metrics/<name>". An applied migration never changes: a new column is a
    /// new migration appended here (ALTER TABLE ... ADD COLUMN, and for a rolled-up
    /// column its hourly/daily columns and `collector.rollup_column`).
    public static let migrations: [PluginMigration] = [
        PluginMigration(name: "001_tables", sql: #"""
-- app_metrics 001_tables: the scrape tick's tables (api_metrics_raw and
-- proxy_metrics_raw, one row per scrape), their hourly and daily rollups, and
-- the rollup declarations the host derives them from.
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

-- ---------------------------------------------------------------------------
-- Rollups (collector.declare_rollup, migrations/005_rollups.sql)
-- ---------------------------------------------------------------------------

SELECT collector.declare_rollup('api_metrics_raw', 'api_metrics_hourly', 'api_metrics_daily', 'app_metrics');
SELECT collector.rollup_column('api_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_column('api_metrics_hourly', 'up_samples', 'count_if', 'r.up');
SELECT collector.rollup_column('api_metrics_hourly', 'requests_delta', 'increase', 'r.requests_total');
SELECT collector.rollup_column('api_metrics_hourly', 'errors_delta', 'increase', 'r.errors_total');
SELECT collector.rollup_stats('api_metrics_hourly', 'requests_per_sec', 'avg', 'max', 'min');
SELECT collector.rollup_stats('api_metrics_hourly', 'error_rate_pct', 'avg', 'max', 'min');
SELECT collector.rollup_stats('api_metrics_hourly', 'latency_avg_ms', 'avg');
SELECT collector.rollup_stats('api_metrics_hourly', 'latency_p50_ms', 'avg');
SELECT collector.rollup_stats('api_metrics_hourly', 'latency_p95_ms', 'avg', 'max', 'min');
SELECT collector.rollup_stats('api_metrics_hourly', 'latency_p99_ms', 'avg', 'max');
SELECT collector.rollup_stats('api_metrics_hourly', 'latency_max_ms', 'max');
SELECT collector.rollup_stats('api_metrics_hourly', 'active_connections', 'avg', 'max');
SELECT collector.rollup_stats('api_metrics_hourly', 'cache_hit_ratio', 'avg', 'min');
SELECT collector.check_rollup('api_metrics_hourly');

SELECT collector.declare_rollup('proxy_metrics_raw', 'proxy_metrics_hourly', 'proxy_metrics_daily', 'app_metrics');
SELECT collector.rollup_column('proxy_metrics_hourly', 'sample_count', 'count');
SELECT collector.rollup_column('proxy_metrics_hourly', 'up_samples', 'count_if', 'r.up');
SELECT collector.rollup_stats('proxy_metrics_hourly', 'connections_active', 'avg', 'max');
SELECT collector.rollup_column('proxy_metrics_hourly', 'requests_delta', 'increase', 'r.requests_total');
SELECT collector.rollup_stats('proxy_metrics_hourly', 'requests_per_sec', 'avg', 'max');
SELECT collector.rollup_column('proxy_metrics_hourly', 'errors_delta', 'increase', 'r.errors_total');
SELECT collector.rollup_column('proxy_metrics_hourly', 'tls_handshakes_delta', 'increase', 'r.tls_handshakes_total');
SELECT collector.rollup_column('proxy_metrics_hourly', 'tls_handshake_failures_delta', 'increase', 'r.tls_handshake_failures_total');
SELECT collector.rollup_stats('proxy_metrics_hourly', 'tls_handshake_avg_ms', 'avg');
SELECT collector.rollup_column('proxy_metrics_hourly', 'rate_limited_delta', 'increase', 'r.rate_limited_total');
SELECT collector.rollup_column('proxy_metrics_hourly', 'upstream_errors_delta', 'increase', 'r.upstream_errors_total');
SELECT collector.rollup_stats('proxy_metrics_hourly', 'upstream_latency_p95_ms', 'avg', 'max');
SELECT collector.rollup_stats('proxy_metrics_hourly', 'upstream_latency_p99_ms', 'avg', 'max');
SELECT collector.check_rollup('proxy_metrics_hourly');
"""#),
    ]
}
