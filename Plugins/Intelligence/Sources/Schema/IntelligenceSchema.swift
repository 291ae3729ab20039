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
    ]
}
