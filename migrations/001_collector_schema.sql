-- 001_collector_schema.sql: what the host owns: daily-partition management,
-- heartbeat, alerts and the collector's own stats. The metric tables belong to
-- the plugins that fill them and come with their migrations (Plugins/*/Sources/Schema).
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

