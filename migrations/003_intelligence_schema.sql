-- 003_intelligence_schema.sql: baselines, insights, recommendations and SLO
-- results. Insights and recommendations are findings whose lifecycle the host
-- owns (pqc_finding): identity is (host, analyzer, key); an open row is
-- updated (last_seen, occurrences, value) instead of duplicated.

-- 7-day rolling statistics per metric; upserted every intel tick.
CREATE TABLE IF NOT EXISTS collector.baselines (
  host           TEXT NOT NULL,
  domain         TEXT NOT NULL,               -- api | db | proxy | system | table | logs ...
  metric         TEXT NOT NULL,
  metric_key     TEXT NOT NULL DEFAULT '',    -- '' for global, else e.g. 'public.orders'
  time_window    TEXT NOT NULL DEFAULT '7d',
  ts             TIMESTAMPTZ NOT NULL DEFAULT now(),  -- computed at
  mean           DOUBLE PRECISION,
  stddev         DOUBLE PRECISION,
  min            DOUBLE PRECISION,
  max            DOUBLE PRECISION,
  sample_count   BIGINT NOT NULL DEFAULT 0,
  window_start   TIMESTAMPTZ,
  window_end     TIMESTAMPTZ,
  PRIMARY KEY (host, domain, metric, metric_key, time_window)
);

-- Events: anomalies, drift, SLO violations, error spikes, security events.
-- Deduplicated by the host within a window, so no unique key on open rows.
CREATE TABLE IF NOT EXISTS collector.insights (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  host           TEXT NOT NULL,
  ts             TIMESTAMPTZ NOT NULL DEFAULT now(),  -- detected at
  analyzer       TEXT NOT NULL,
  key            TEXT NOT NULL,
  type           TEXT NOT NULL,               -- anomaly | drift | slo_violation | error_spike | ...
  severity       TEXT NOT NULL DEFAULT 'info' CHECK (severity IN ('info', 'warn', 'critical')),
  domain         TEXT,
  metric         TEXT,
  metric_key     TEXT,
  target         TEXT,
  value          DOUBLE PRECISION,
  baseline_mean  DOUBLE PRECISION,            -- or the threshold crossed
  baseline_stddev DOUBLE PRECISION,
  z_score        DOUBLE PRECISION,
  drift_pct      DOUBLE PRECISION,
  direction      TEXT CHECK (direction IN ('spike', 'drop')),
  title          TEXT,
  description    TEXT,
  context        JSONB,                       -- correlated anomalies, sample lines, IPs
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  first_seen     TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen      TIMESTAMPTZ NOT NULL DEFAULT now(),
  occurrences    BIGINT NOT NULL DEFAULT 1,
  resolved_at    TIMESTAMPTZ,
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS insights_host_ts_idx ON collector.insights (host, ts DESC);
CREATE INDEX IF NOT EXISTS insights_dedup_idx
  ON collector.insights (host, analyzer, key, last_seen DESC);
CREATE INDEX IF NOT EXISTS insights_domain_ts_idx ON collector.insights (domain, ts DESC);

-- Actions to take: open while the rule fires, hidden while acknowledged.
CREATE TABLE IF NOT EXISTS collector.recommendations (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  host             TEXT NOT NULL,
  ts               TIMESTAMPTZ NOT NULL DEFAULT now(),  -- raised at
  analyzer         TEXT NOT NULL,
  key              TEXT NOT NULL,               -- e.g. 'table_bloat:public.orders'
  category         TEXT NOT NULL,               -- table_bloat | missing_index | slow_query | process | api | proxy | db | logs ...
  severity         TEXT NOT NULL DEFAULT 'info' CHECK (severity IN ('info', 'warn', 'critical')),
  domain           TEXT,
  metric           TEXT,
  target           TEXT,
  title            TEXT NOT NULL,
  description      TEXT,
  action           TEXT,                        -- remediation steps
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
CREATE UNIQUE INDEX IF NOT EXISTS recommendations_open_key_uidx
  ON collector.recommendations (host, analyzer, key) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS recommendations_host_ts_idx ON collector.recommendations (host, ts DESC);
CREATE INDEX IF NOT EXISTS recommendations_resolved_at_idx
  ON collector.recommendations (resolved_at) WHERE status = 'resolved';

-- One row per SLO per intel run (history for charts; pruned with hourly_days).
CREATE TABLE IF NOT EXISTS collector.slo_tracking (
  id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  host                 TEXT NOT NULL,
  ts                   TIMESTAMPTZ NOT NULL DEFAULT now(),
  slo_name             TEXT NOT NULL,          -- api_uptime | api_latency_p95 | db_cache_hit
  target               DOUBLE PRECISION NOT NULL,
  actual               DOUBLE PRECISION,
  met                  BOOLEAN,
  budget_consumed_pct  DOUBLE PRECISION,       -- violations / allowed_violations * 100
  violations           BIGINT,
  allowed_violations   DOUBLE PRECISION,
  total_periods        BIGINT,
  window_days          INTEGER NOT NULL DEFAULT 30,
  window_start         TIMESTAMPTZ,
  window_end           TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS slo_tracking_host_slo_ts_idx
  ON collector.slo_tracking (host, slo_name, ts DESC);
CREATE INDEX IF NOT EXISTS slo_tracking_ts_idx ON collector.slo_tracking (ts);
