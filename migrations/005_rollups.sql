-- 005_rollups.sql: hourly rollups from raw rows, daily rollups from hourly
-- rows, derived from declarations, and the per-host progress the host keeps
-- in collector.rollup_state.
--
-- Whoever owns a table declares its rollup (plugins in their own migrations,
-- the host for log_entries below): collector.declare_rollup() names the raw,
-- hourly and daily tables and the keys; collector.rollup_stats() and
-- collector.rollup_column() say how each hourly column is computed. The
-- declarations live in collector.rollups and collector.rollup_columns, and
-- collector.rollup_hour(host, hour) / collector.rollup_day(host, day) build
-- their statements from them: no table's rollup is written out by hand.
--
-- Both are pure functions of their input rows written with INSERT ... ON
-- CONFLICT (pk) DO UPDATE SET <every column> = EXCLUDED.<column>: running one
-- twice gives identical rows, and a bucket without input rows writes nothing
-- (it never deletes, so re-running an hour whose raw partitions are gone is
-- harmless). Hours and days are UTC, like the partitions.
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

-- Restarts of a process: the samples (in the bucket) whose start time is
-- more than a second after the previous sample's (1 s of slack for start
-- times derived from jiffies). s = {previous start (epoch), count}. STRICT,
-- so samples without a start time are skipped.
CREATE OR REPLACE FUNCTION collector.restart_count_step(s float8[], v timestamptz, in_bucket boolean)
RETURNS float8[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
DECLARE
  e float8 := extract(epoch FROM v);
BEGIN
  IF in_bucket THEN
    s[2] := coalesce(s[2], 0);
    IF s[1] IS NOT NULL AND e > s[1] + 1 THEN
      s[2] := s[2] + 1;
    END IF;
  END IF;
  s[1] := e;
  RETURN s;
END
$fn$;

CREATE OR REPLACE FUNCTION collector.restart_count_final(s float8[])
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$ SELECT coalesce(s[2], 0)::bigint $fn$;

CREATE OR REPLACE AGGREGATE collector.restart_count(timestamptz, boolean) (
  SFUNC = collector.restart_count_step,
  STYPE = float8[],
  FINALFUNC = collector.restart_count_final,
  INITCOND = '{NULL,NULL}'
);

-- Per-name maximum over arrays of objects: jsonb_array_max(mounts, 'mount',
-- 'used_pct') over rows of [{"mount": "/", "used_pct": 71.2}, ...] gives
-- {"/": 71.2, ...}. Elements without the name or a numeric value are ignored;
-- NULL when no element counted.
CREATE OR REPLACE FUNCTION collector.jsonb_array_max_step(s jsonb, arr jsonb, p_name text, p_value text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $fn$
DECLARE
  e jsonb;
  v float8;
  k text;
BEGIN
  IF arr IS NULL OR jsonb_typeof(arr) <> 'array' THEN
    RETURN s;
  END IF;
  FOR e IN SELECT * FROM jsonb_array_elements(arr) LOOP
    k := e->>p_name;
    IF k IS NOT NULL AND jsonb_typeof(e->p_value) = 'number' THEN
      v := (e->>p_value)::float8;
      IF s IS NULL THEN
        s := jsonb_build_object(k, v);
      ELSIF s->k IS NULL OR (s->>k)::float8 < v THEN
        s := s || jsonb_build_object(k, v);
      END IF;
    END IF;
  END LOOP;
  RETURN s;
END
$fn$;

CREATE OR REPLACE AGGREGATE collector.jsonb_array_max(jsonb, text, text) (
  SFUNC = collector.jsonb_array_max_step,
  STYPE = jsonb
);

-- ---------------------------------------------------------------------------
-- Declarations
-- ---------------------------------------------------------------------------

-- One row per rolled-up table (all in schema collector). keys are the hourly
-- (and daily) table's key columns after (host, hour|day), computed from the
-- raw row alias r by key_sources (same length; default r.<key>). row_filter,
-- when set, is a condition on r that rolled-up rows meet.
CREATE TABLE IF NOT EXISTS collector.rollups (
  raw_table     TEXT PRIMARY KEY,
  hourly_table  TEXT NOT NULL UNIQUE,
  daily_table   TEXT UNIQUE,
  keys          TEXT[] NOT NULL DEFAULT '{}',
  key_sources   TEXT[] NOT NULL DEFAULT '{}',
  row_filter    TEXT,
  declared_by   TEXT NOT NULL,
  declared_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- How each hourly column comes from the hour's raw rows (alias r), and so how
-- its daily column comes from the day's hourly rows (alias h):
--   count     count(*)                                    daily: sum
--   avg       avg(source)                                 daily: average weighted by the count column
--   max, min  max(source), min(source)                    daily: max, min
--   sum       sum(source)                                 daily: sum
--   count_if  rows where source (a condition) holds       daily: sum
--   increase  reset-aware increase of the counter source  daily: sum
--   restarts  collector.restart_count(source)             daily: sum
--   last      the latest non-NULL source                  daily: the latest non-NULL
--   expr      source is itself an aggregate expression, daily_source (over h)
--             says how a day combines its hours. r.in_bucket is true for the
--             hour's own rows (the scan also sees the hour before when a
--             counter is rolled up), so an expr aggregate filters on it.
-- source is SQL over r: a column name or an expression.
CREATE TABLE IF NOT EXISTS collector.rollup_columns (
  hourly_table  TEXT NOT NULL REFERENCES collector.rollups (hourly_table) ON DELETE CASCADE,
  column_name   TEXT NOT NULL,
  kind          TEXT NOT NULL
                CHECK (kind IN ('count', 'avg', 'max', 'min', 'sum', 'count_if', 'increase', 'restarts', 'last', 'expr')),
  source        TEXT,
  daily_source  TEXT,
  PRIMARY KEY (hourly_table, column_name),
  CHECK ((kind = 'count') = (source IS NULL))
);

-- Declares (or re-declares) the rollup of p_raw into p_hourly and, unless
-- NULL, p_daily. The tables must exist, with primary keys (host, hour, keys...)
-- and (host, day, keys...). Re-declaring keeps the column declarations.
CREATE OR REPLACE FUNCTION collector.declare_rollup(
  p_raw text, p_hourly text, p_daily text, p_declared_by text,
  p_keys text[] DEFAULT '{}', p_key_sources text[] DEFAULT NULL, p_row_filter text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_sources text[] := coalesce(p_key_sources, ARRAY(SELECT 'r.' || quote_ident(k) FROM unnest(p_keys) k));
BEGIN
  IF cardinality(v_sources) <> cardinality(p_keys) THEN
    RAISE EXCEPTION 'declare_rollup(%): % keys but % key sources', p_hourly, cardinality(p_keys), cardinality(v_sources);
  END IF;
  PERFORM format('collector.%I', p_raw)::regclass, format('collector.%I', p_hourly)::regclass;
  IF p_daily IS NOT NULL THEN
    PERFORM format('collector.%I', p_daily)::regclass;
  END IF;
  INSERT INTO collector.rollups (raw_table, hourly_table, daily_table, keys, key_sources, row_filter, declared_by)
  VALUES (p_raw, p_hourly, p_daily, p_keys, v_sources, p_row_filter, p_declared_by)
  ON CONFLICT (raw_table) DO UPDATE SET
    hourly_table = EXCLUDED.hourly_table, daily_table = EXCLUDED.daily_table, keys = EXCLUDED.keys,
    key_sources = EXCLUDED.key_sources, row_filter = EXCLUDED.row_filter,
    declared_by = EXCLUDED.declared_by, declared_at = now();
END
$fn$;

-- Declares one hourly column (see collector.rollup_columns for the kinds).
CREATE OR REPLACE FUNCTION collector.rollup_column(
  p_hourly text, p_column text, p_kind text, p_source text DEFAULT NULL, p_daily_source text DEFAULT NULL)
RETURNS void
LANGUAGE sql
AS $fn$
  INSERT INTO collector.rollup_columns (hourly_table, column_name, kind, source, daily_source)
  VALUES (p_hourly, p_column, p_kind, p_source, p_daily_source)
  ON CONFLICT (hourly_table, column_name) DO UPDATE SET
    kind = EXCLUDED.kind, source = EXCLUDED.source, daily_source = EXCLUDED.daily_source
$fn$;

-- Shorthand for the common case: rollup_stats('t_hourly', 'cpu_pct', 'avg',
-- 'max', 'min') declares cpu_pct_avg, cpu_pct_max and cpu_pct_min.
CREATE OR REPLACE FUNCTION collector.rollup_stats(p_hourly text, p_source text, VARIADIC p_kinds text[])
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
  k text;
BEGIN
  FOREACH k IN ARRAY p_kinds LOOP
    IF k NOT IN ('avg', 'max', 'min', 'sum') THEN
      RAISE EXCEPTION 'rollup_stats(%, %): % is not avg, max, min or sum', p_hourly, p_source, k;
    END IF;
    PERFORM collector.rollup_column(p_hourly, p_source || '_' || k, k, p_source);
  END LOOP;
END
$fn$;

-- The hourly (p_daily false) or daily statement of one declaration, built from
-- the declarations. $1 is the host, $2 the hour (hourly) or the day's start.
CREATE OR REPLACE FUNCTION collector.rollup_sql(p_hourly text, p_daily boolean)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d         collector.rollups;
  c         record;
  v_cols    text[];
  v_sel     text[];
  v_set     text[] := '{}';
  v_group   text[] := '{}';
  v_nkeys   integer;
  v_count   text;
  v_prev    boolean;
  v_expr    text;
  v_target  regclass;
  i         integer;
BEGIN
  SELECT * INTO d FROM collector.rollups WHERE hourly_table = p_hourly;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'rollup_sql: no rollup declared for %', p_hourly;
  END IF;
  v_nkeys := coalesce(cardinality(d.keys), 0);
  SELECT min(column_name) INTO v_count FROM collector.rollup_columns WHERE hourly_table = p_hourly AND kind = 'count';

  IF NOT p_daily THEN
    v_target := format('collector.%I', d.hourly_table)::regclass;
    v_cols := ARRAY['host', 'hour'];
    v_sel := ARRAY['$1', '$2'];
    FOR i IN 1 .. v_nkeys LOOP
      v_cols := v_cols || quote_ident(d.keys[i]);
      v_sel := v_sel || d.key_sources[i];
      v_group := v_group || (i + 2)::text;
    END LOOP;
    SELECT coalesce(bool_or(kind IN ('increase', 'restarts')), false) INTO v_prev
    FROM collector.rollup_columns WHERE hourly_table = p_hourly;
    FOR c IN SELECT * FROM collector.rollup_columns WHERE hourly_table = p_hourly ORDER BY column_name LOOP
      v_expr := CASE c.kind
        WHEN 'count'    THEN 'count(*) FILTER (WHERE r.in_bucket)'
        WHEN 'avg'      THEN format('avg(%s) FILTER (WHERE r.in_bucket)', c.source)
        WHEN 'max'      THEN format('max(%s) FILTER (WHERE r.in_bucket)', c.source)
        WHEN 'min'      THEN format('min(%s) FILTER (WHERE r.in_bucket)', c.source)
        WHEN 'sum'      THEN format('sum(%s) FILTER (WHERE r.in_bucket)', c.source)
        WHEN 'count_if' THEN format('count(*) FILTER (WHERE r.in_bucket AND (%s))', c.source)
        WHEN 'increase' THEN format('collector.counter_increase(%1$s, r.in_bucket ORDER BY r.ts, %1$s)', c.source)
        WHEN 'restarts' THEN format('collector.restart_count(%1$s, r.in_bucket ORDER BY r.ts, %1$s)', c.source)
        WHEN 'last'     THEN format('(array_agg(%1$s ORDER BY r.ts DESC, %1$s) FILTER (WHERE r.in_bucket AND (%1$s) IS NOT NULL))[1]', c.source)
        ELSE c.source
      END;
      v_cols := v_cols || quote_ident(c.column_name);
      v_sel := v_sel || v_expr;
      v_set := v_set || format('%1$I = EXCLUDED.%1$I', c.column_name);
    END LOOP;
    RETURN format(
      'INSERT INTO %s AS t (%s) SELECT %s FROM (SELECT r.*, r.ts >= $2 AS in_bucket FROM collector.%I r '
      'WHERE r.host = $1 AND r.ts >= $2 - %s AND r.ts < $2 + interval %L%s) r %s '
      'HAVING count(*) FILTER (WHERE r.in_bucket) > 0 ON CONFLICT (%s) DO UPDATE SET %s',
      v_target, array_to_string(v_cols, ', '), array_to_string(v_sel, ', '), d.raw_table,
      CASE WHEN v_prev THEN 'interval ''1 hour''' ELSE 'interval ''0 hours''' END, '1 hour',
      CASE WHEN d.row_filter IS NOT NULL THEN ' AND (' || d.row_filter || ')' ELSE '' END,
      CASE WHEN cardinality(v_group) > 0 THEN 'GROUP BY ' || array_to_string(v_group, ', ') ELSE '' END,
      array_to_string(v_cols[1:2 + v_nkeys], ', '), array_to_string(v_set, ', '));
  END IF;

  -- Daily: every column of the daily table is a key or a declared hourly column.
  IF d.daily_table IS NULL THEN
    RAISE EXCEPTION 'rollup_sql: % has no daily table', p_hourly;
  END IF;
  v_target := format('collector.%I', d.daily_table)::regclass;
  v_cols := ARRAY['host', 'day'];
  v_sel := ARRAY['$1', '($2 AT TIME ZONE ''UTC'')::date'];
  FOR i IN 1 .. v_nkeys LOOP
    v_cols := v_cols || quote_ident(d.keys[i]);
    v_sel := v_sel || ('h.' || quote_ident(d.keys[i]));
    v_group := v_group || ('h.' || quote_ident(d.keys[i]));
  END LOOP;
  FOR c IN
    SELECT a.attname::text AS name, rc.kind, rc.daily_source
    FROM pg_attribute a
    LEFT JOIN collector.rollup_columns rc ON rc.hourly_table = p_hourly AND rc.column_name = a.attname::text
    WHERE a.attrelid = v_target AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname::text <> ALL (ARRAY['host', 'day'] || d.keys)
    ORDER BY a.attnum
  LOOP
    IF c.kind IS NULL THEN
      RAISE EXCEPTION 'rollup_sql: %.% is not a declared column of % (collector.rollup_column)', d.daily_table, c.name, p_hourly;
    END IF;
    IF c.kind = 'avg' AND v_count IS NULL THEN
      RAISE EXCEPTION 'rollup_sql: %.% is an average, and % has no count column to weigh it', d.daily_table, c.name, p_hourly;
    END IF;
    v_expr := CASE c.kind
      WHEN 'avg'  THEN format('sum(h.%1$I * h.%2$I) / nullif(sum(h.%2$I) FILTER (WHERE h.%1$I IS NOT NULL), 0)', c.name, v_count)
      WHEN 'max'  THEN format('max(h.%I)', c.name)
      WHEN 'min'  THEN format('min(h.%I)', c.name)
      WHEN 'last' THEN format('(array_agg(h.%1$I ORDER BY h.hour DESC) FILTER (WHERE h.%1$I IS NOT NULL))[1]', c.name)
      WHEN 'expr' THEN c.daily_source
      ELSE format('sum(h.%I)', c.name)
    END;
    IF v_expr IS NULL THEN
      RAISE EXCEPTION 'rollup_sql: %.% is an expr column without a daily_source', d.daily_table, c.name;
    END IF;
    v_cols := v_cols || quote_ident(c.name);
    v_sel := v_sel || v_expr;
    v_set := v_set || format('%1$I = EXCLUDED.%1$I', c.name);
  END LOOP;
  RETURN format(
    'INSERT INTO %s AS t (%s) SELECT %s FROM collector.%I h '
    'WHERE h.host = $1 AND h.hour >= $2 AND h.hour < $2 + interval %L %s HAVING count(*) > 0 '
    'ON CONFLICT (%s) DO UPDATE SET %s',
    v_target, array_to_string(v_cols, ', '), array_to_string(v_sel, ', '), d.hourly_table, '1 day',
    CASE WHEN cardinality(v_group) > 0 THEN 'GROUP BY ' || array_to_string(v_group, ', ') ELSE '' END,
    array_to_string(v_cols[1:2 + v_nkeys], ', '), array_to_string(v_set, ', '));
END
$fn$;

-- Checks a declaration by preparing its statements, so a misspelt column or
-- a source that is not valid SQL fails the declaring migration, with the
-- table named, instead of every later rollup run.
CREATE OR REPLACE FUNCTION collector.check_rollup(p_hourly text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_daily text;
BEGIN
  SELECT daily_table INTO v_daily FROM collector.rollups WHERE hourly_table = p_hourly;
  BEGIN
    EXECUTE 'PREPARE pqc_check_rollup(text, timestamptz) AS ' || collector.rollup_sql(p_hourly, false);
    DEALLOCATE pqc_check_rollup;
    IF v_daily IS NOT NULL THEN
      EXECUTE 'PREPARE pqc_check_rollup(text, timestamptz) AS ' || collector.rollup_sql(p_hourly, true);
      DEALLOCATE pqc_check_rollup;
    END IF;
  EXCEPTION WHEN OTHERS THEN
    RAISE EXCEPTION 'the rollup of % is not valid: %', p_hourly, SQLERRM;
  END;
END
$fn$;

-- Oldest raw row of a host in the tables that are rolled up (where a first
-- rollup run starts).
CREATE OR REPLACE FUNCTION collector.rollup_oldest_raw(p_host text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  t     text;
  v_min timestamptz;
  v_one timestamptz;
BEGIN
  FOR t IN SELECT raw_table FROM collector.rollups ORDER BY raw_table LOOP
    EXECUTE format('SELECT min(ts) FROM collector.%I WHERE host = $1', t) INTO v_one USING p_host;
    IF v_one IS NOT NULL AND (v_min IS NULL OR v_one < v_min) THEN
      v_min := v_one;
    END IF;
  END LOOP;
  RETURN v_min;
END
$fn$;

-- Rolls up the UTC hour containing p_hour for one host into every declared
-- hourly table; returns the rows written.
CREATE OR REPLACE FUNCTION collector.rollup_hour(p_host text, p_hour timestamptz)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  t       text;
  v_n     integer;
  v_total integer := 0;
BEGIN
  IF p_host IS NULL OR p_hour IS NULL THEN
    RAISE EXCEPTION 'rollup_hour: p_host and p_hour are required';
  END IF;
  FOR t IN SELECT hourly_table FROM collector.rollups ORDER BY hourly_table LOOP
    EXECUTE collector.rollup_sql(t, false) USING p_host, collector.utc_hour(p_hour);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
  END LOOP;
  RETURN v_total;
END
$fn$;

-- Rolls up one UTC day for one host into every declared daily table; returns
-- the rows written.
CREATE OR REPLACE FUNCTION collector.rollup_day(p_host text, p_day date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  t       text;
  v_n     integer;
  v_total integer := 0;
BEGIN
  IF p_host IS NULL OR p_day IS NULL THEN
    RAISE EXCEPTION 'rollup_day: p_host and p_day are required';
  END IF;
  FOR t IN SELECT hourly_table FROM collector.rollups WHERE daily_table IS NOT NULL ORDER BY hourly_table LOOP
    EXECUTE collector.rollup_sql(t, true)
      USING p_host, (to_char(p_day, 'YYYY-MM-DD') || ' 00:00:00+00')::timestamptz;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
  END LOOP;
  RETURN v_total;
END
$fn$;

-- The host's own rollup: log entries per source, level and hour.
SELECT collector.declare_rollup('log_entries', 'log_metrics_hourly', NULL, 'core', ARRAY['source', 'level']);
SELECT collector.rollup_column('log_metrics_hourly', 'entry_count', 'count');
SELECT collector.check_rollup('log_metrics_hourly');
