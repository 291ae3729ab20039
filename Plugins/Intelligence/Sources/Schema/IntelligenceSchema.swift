import PluginKit

/// The Intelligence plugin's own schema, applied after the core migrations
/// (recorded as "intelligence/<name>"). Core migrations are never edited:
/// columns the plugin needs on core tables are added here.
public enum IntelligenceSchema {
    public static let migrations: [PluginMigration] = [
        PluginMigration(name: "001_baselines_anomaly_rate", sql: #"""
-- Robust statistics and the seasonal profile next to mean/stddev/min/max.
ALTER TABLE collector.baselines
  ADD COLUMN IF NOT EXISTS median  DOUBLE PRECISION,   -- weighted median of hourly means and raw tail points
  ADD COLUMN IF NOT EXISTS mad     DOUBLE PRECISION,   -- median absolute deviation from it
  ADD COLUMN IF NOT EXISTS profile JSONB;              -- [dow 0=Sunday][hour 0-23] means (UTC) over 28 days; NULL before 14 days

-- One row per intel run: the share of this host's watched series anomalous in
-- the run (charts). A *_raw table partitioned by day: the host creates the
-- partitions and drops them after raw_days.
CREATE TABLE IF NOT EXISTS collector.anomaly_rate_raw (
  host              TEXT NOT NULL,
  ts                TIMESTAMPTZ NOT NULL DEFAULT now(),
  watched_series    INTEGER NOT NULL,   -- series with a scored point in the run
  anomalous_series  INTEGER NOT NULL,   -- of which at least one point scored >= threshold
  insights          INTEGER NOT NULL,   -- anomaly insights reported by the run
  anomaly_rate      DOUBLE PRECISION NOT NULL,  -- anomalous_series / watched_series
  top               JSONB               -- [{"metric","key","score"}], highest scores first (10 at most)
) PARTITION BY RANGE (ts);
CREATE TABLE IF NOT EXISTS collector.anomaly_rate_raw_default
  PARTITION OF collector.anomaly_rate_raw DEFAULT;
CREATE INDEX IF NOT EXISTS anomaly_rate_raw_host_ts_idx
  ON collector.anomaly_rate_raw (host, ts DESC);
"""#),
        PluginMigration(name: "002_slo", sql: #"""
-- SLOs (the slo analyzer): good and total periods per SLO and UTC hour, so
-- the 30-day window outlives the raw rows (retention.raw_days) and a custom
-- good-condition never needs 30 days of raw rows. `definition` is the
-- counting key (table, value, condition): changing an SLO's condition
-- recounts from the raw rows instead of mixing two conditions. Pruned by the
-- analyzer after 91 days.
CREATE TABLE IF NOT EXISTS collector.slo_hourly (
  host        TEXT NOT NULL,
  slo_name    TEXT NOT NULL,
  hour        TIMESTAMPTZ NOT NULL,
  definition  TEXT NOT NULL,
  good        BIGINT NOT NULL,
  total       BIGINT NOT NULL,
  PRIMARY KEY (host, slo_name, hour)
);

-- What the original's slo_tracking row lacks: the condition, the good
-- periods, the budget left, the burn rate of each alert window and when the
-- budget runs out at the last hour's rate. `target` is the objective in
-- percent of periods.
ALTER TABLE collector.slo_tracking
  ADD COLUMN IF NOT EXISTS condition             TEXT,
  ADD COLUMN IF NOT EXISTS good_periods          BIGINT,
  ADD COLUMN IF NOT EXISTS budget_remaining_pct  DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS burn_rate_5m          DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS burn_rate_30m         DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS burn_rate_1h          DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS burn_rate_6h          DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS burn_rate_3d          DOUBLE PRECISION,
  ADD COLUMN IF NOT EXISTS exhaustion_hours      DOUBLE PRECISION;
"""#),
        PluginMigration(name: "003_log_templates", sql: #"""
-- Log templates (the log_patterns analyzer): message templates with <*>
-- slots mined from each host's log lines, ids stable across restarts.
CREATE TABLE IF NOT EXISTS collector.log_templates (
  host         TEXT NOT NULL,
  id           BIGINT NOT NULL,
  template     TEXT NOT NULL,
  occurrences  BIGINT NOT NULL DEFAULT 0,
  first_seen   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (host, id)
);
CREATE INDEX IF NOT EXISTS log_templates_last_seen_idx ON collector.log_templates (host, last_seen DESC);

-- Patterns are grouped by template (fingerprint = 'template:<id>').
ALTER TABLE collector.log_patterns
  ADD COLUMN IF NOT EXISTS template_id  BIGINT,
  ADD COLUMN IF NOT EXISTS template     TEXT;
CREATE INDEX IF NOT EXISTS log_patterns_template_idx ON collector.log_patterns (host, template_id);

-- When a row was written (the transaction's start), so an analyzer reads
-- each row once whatever its log timestamp: a backlog of old lines, or the
-- writer's spool after an outage, arrives with old `ts`. Existing rows get
-- the time of this migration (no rewrite: now() is stable). BRIN: rows are
-- appended in this order, so the index is tiny and ingest barely notices.
ALTER TABLE collector.log_entries
  ADD COLUMN IF NOT EXISTS ingested_at TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS log_entries_ingested_brin ON collector.log_entries USING brin (ingested_at) WITH (autosummarize = on);

-- Where each analyzer that reads rows once has got to.
CREATE TABLE IF NOT EXISTS collector.analyzer_cursors (
  host        TEXT NOT NULL,
  analyzer    TEXT NOT NULL,
  position    TIMESTAMPTZ NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (host, analyzer)
);
"""#),
    ]
}
