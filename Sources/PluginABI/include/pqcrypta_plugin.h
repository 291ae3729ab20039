/*
 * pqcrypta_plugin.h -- the one contract between pqcrypta-collector and its plugins.
 *
 * A plugin is a shared library (.so) that exports one C function,
 * pqc_plugin_entry(), returning a pqc_plugin_descriptor. The host dlopen()s the
 * library (RTLD_NOW | RTLD_LOCAL), checks the descriptor and calls its init()
 * with a table of host functions (pqc_host_api). Through that table, and only
 * through it, the plugin registers work (ticks, log parsers, analyzers), emits
 * rows, runs SQL, fetches HTTP and logs. Plugins never link host symbols, so a
 * plugin needs this header and a C compiler, nothing else:
 *
 *     cc -shared -fPIC -I Sources/PluginABI/include my_plugin.c -o my_plugin.so
 *
 * ---------------------------------------------------------------------------
 * VERSIONING
 *   PQC_ABI_MAJOR changes only when an existing struct or function changes
 *   meaning; the host refuses plugins of another major. PQC_ABI_MINOR grows
 *   when something is added; the host refuses plugins built against a newer
 *   minor than its own, and accepts every older one.
 *
 *   Every struct that crosses the boundary starts with `uint32_t struct_size`,
 *   set by whoever fills the struct (sizeof at build time). Structs only ever
 *   grow at their end, like sqlite3ext.h's routine table: new members are
 *   appended, nothing is removed or reordered within a major. A reader treats
 *   members beyond the writer's struct_size as zero/NULL. So an older plugin
 *   keeps working with a newer host, and a plugin checks
 *   `api->struct_size >= offsetof(pqc_host_api, member) + sizeof member`
 *   (PQC_API_HAS) before calling anything added after minor 0.
 *
 * OWNERSHIP
 *   - Every pointer the plugin passes to the host is BORROWED for the duration
 *     of that call only; the host copies what it keeps (names, rows, messages).
 *   - Pointers the host hands to the plugin are BORROWED as each function
 *     states: "call" = until the host function or callback returns,
 *     "plugin" = until shutdown() returns. Objects the host allocates for the
 *     plugin (pqc_result, pqc_http_response) are owned by the plugin and freed
 *     with the matching *_free function, from any thread.
 *   - Strings are UTF-8 and NUL-terminated unless a length is given. Text with a
 *     length may hold any bytes: the host stores NUL and each invalid UTF-8
 *     subsequence as U+FFFD (docs/architecture.md, "Bytes, text and JSON").
 *   - The descriptor and the strings it points to must stay valid while the
 *     library is loaded (string literals are the usual choice). Registration
 *     structs are copied, strings included; user_data pointers are kept as
 *     they are and handed back to the callbacks. The host never dlclose()s a
 *     plugin.
 *
 * THREADING
 *   - init() and shutdown() run on the host's main thread, one plugin at a
 *     time. Registration functions may only be called from init().
 *   - Each tick, analyzer and parser instance runs on a host worker thread.
 *     One callback is never run concurrently with itself (a tick still running
 *     when it is due again is skipped, not queued; one parser instance serves
 *     one source on one thread at a time). DIFFERENT callbacks, of the same
 *     plugin or of others, MAY run concurrently: guard state they share.
 *   - Every host function is thread-safe; each is tagged below with where it
 *     may be called from: [init], [callback] (from a tick, analyzer or parser
 *     callback), or [any] (init, callbacks and threads the plugin owns).
 *   - Callbacks may block (SQL, HTTP), but the thread is the tick's own: a slow
 *     callback delays only its own tick. Ticks on the SLOW lane share the
 *     host's second database connection; FAST-lane ticks share the first.
 *
 * STATUSES
 *   PQC_OK         done.
 *   PQC_RETRY      transient failure (database down, timeout): the host tries
 *                  again later, backing the tick off exponentially up to a cap.
 *   PQC_FAIL       permanent failure: give up. A tick or analyzer returning it
 *                  is disabled until restart; init() returning it refuses the
 *                  plugin.
 *   PQC_EINVAL     the call's arguments were wrong (bad name, wrong column
 *                  count, call from the wrong place); nothing was done.
 * ---------------------------------------------------------------------------
 */
#ifndef PQCRYPTA_PLUGIN_H
#define PQCRYPTA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PQC_ABI_MAJOR 1
#define PQC_ABI_MINOR 4
/* History: 1.0 first release. 1.1 adds pqc_source_def and
 * pqc_host_api.register_source (plugins propose default log sources), and
 * init() returning PQC_EINVAL for a bad configuration value. 1.2 adds the
 * anomaly members at the end of pqc_finding (context, metric key, baseline
 * stddev, drift, direction). 1.3 adds pqc_host_api.parse_timestamp (ISO 8601 /
 * RFC 3339 text with an offset to microseconds), pqc_host_api.query_readonly
 * (one SELECT in a read-only transaction), pqc_parser_def.create_with_options
 * (per-source options) and pqc_plugin_descriptor.shutdown_v2 (shutdown receiving the plugin's handle).
 * 1.4 adds pqc_column_def and pqc_host_api.table_open_typed (columns declared
 * with their value types, checked against the real table).
 * A plugin built against 1.0, 1.1, 1.2 or 1.3 loads unchanged: its smaller
 * descriptor's struct_size tells the host it has no shutdown_v2. */

/* The exported entry point. Its name is fixed; see PQC_PLUGIN_EXPORT. */
#define PQC_PLUGIN_ENTRY_SYMBOL "pqc_plugin_entry"

#if defined(__GNUC__) || defined(__clang__)
#define PQC_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define PQC_PLUGIN_EXPORT
#endif

/* True when a struct filled by the other side, of size `size`, contains `member`. */
#define PQC_HAS_MEMBER(type, size, member) \
  ((size) >= offsetof(type, member) + sizeof(((type *)0)->member))
/* True when the host's API table has `fn` (for functions added after minor 0). */
#define PQC_API_HAS(api, fn) PQC_HAS_MEMBER(pqc_host_api, (api)->struct_size, fn)

typedef enum pqc_status {
  PQC_OK = 0,
  PQC_RETRY = 1,
  PQC_FAIL = 2,
  PQC_EINVAL = 3
} pqc_status;

/* Severity of the plugin's own log messages (pqc_host_api.log). */
typedef enum pqc_log_level {
  PQC_LOG_TRACE = 0,
  PQC_LOG_DEBUG = 1,
  PQC_LOG_INFO = 2,
  PQC_LOG_WARN = 3,
  PQC_LOG_ERROR = 4
} pqc_log_level;

/* The fixed level set of ingested log records (collector.log_entries.level). */
typedef enum pqc_level {
  PQC_LEVEL_UNKNOWN = 0, /* stored as "info" */
  PQC_LEVEL_DEBUG = 1,
  PQC_LEVEL_INFO = 2,
  PQC_LEVEL_NOTICE = 3,
  PQC_LEVEL_WARN = 4,
  PQC_LEVEL_ERROR = 5,
  PQC_LEVEL_FATAL = 6
} pqc_level;

/* Opaque host objects. */
typedef struct pqc_plugin pqc_plugin;           /* this plugin, as the host knows it */
typedef struct pqc_table pqc_table;             /* a declared row target (see table_open) */
typedef struct pqc_result pqc_result;           /* a SQL result */
typedef struct pqc_http_response pqc_http_response;

/* ------------------------------------------------------------------------- */
/* Values: one cell of an emitted row, or one config value.                   */
/* ------------------------------------------------------------------------- */

typedef enum pqc_value_type {
  PQC_VALUE_NULL = 0,
  PQC_VALUE_BOOL = 1,      /* v.i: 0 or 1 */
  PQC_VALUE_INT = 2,       /* v.i */
  PQC_VALUE_DOUBLE = 3,    /* v.d; NaN and infinities are stored as NULL */
  PQC_VALUE_TEXT = 4,      /* v.s, len bytes (len may be 0 with v.s NULL) */
  PQC_VALUE_TIMESTAMP = 5, /* v.i: microseconds since the Unix epoch, UTC */
  PQC_VALUE_JSON = 6,      /* v.s, len bytes of a JSON document (for JSONB columns) */
  PQC_VALUE_ARRAY = 7,     /* config only: v.i is the element count */
  PQC_VALUE_TABLE = 8      /* config only: a sub-table; read its keys by path */
} pqc_value_type;

typedef struct pqc_value {
  uint32_t type; /* pqc_value_type */
  size_t len;    /* byte length for TEXT and JSON */
  union {
    int64_t i;
    double d;
    const char *s;
  } v;
} pqc_value;

/* One column of a typed row target (table_open_typed, since 1.4): its name and
 * the value type of every non-NULL cell the plugin emits into it. Arrays of it
 * are read with this exact stride, so the struct never grows (a need for more
 * gets a new call). */
typedef struct pqc_column_def {
  const char *name; /* the column's name in the table, [a-z_][a-z0-9_]{0,62} */
  uint32_t type;    /* PQC_VALUE_BOOL, INT, DOUBLE, TEXT, TIMESTAMP or JSON */
  uint32_t flags;   /* reserved: 0 (a host refuses bits it does not know) */
} pqc_column_def;

/* A key/value pair of a log record's structured context (stored in JSONB). */
typedef struct pqc_kv {
  const char *key; /* NUL-terminated */
  pqc_value value; /* NULL, BOOL, INT, DOUBLE or TEXT */
} pqc_kv;

/* ------------------------------------------------------------------------- */
/* Ticks: collect on an interval and emit rows.                               */
/* ------------------------------------------------------------------------- */

/* Built-in schedule groups a tick can follow. Its interval is then the
 * group's configured interval ([intervals] and the spec's env variables), and
 * it runs on the group's lane unless flags say otherwise. */
#define PQC_GROUP_SYS "sys"                 /* 10 s, fast lane */
#define PQC_GROUP_APP "app"                 /* 10 s, fast lane */
#define PQC_GROUP_LOG "log"                 /* 15 s, fast lane */
#define PQC_GROUP_WATCHDOG "watchdog"       /* 30 s, fast lane */
#define PQC_GROUP_PG_EXTENDED "pg_extended" /* 5 min, slow lane */
#define PQC_GROUP_INTEL "intel"             /* 5 min, slow lane */
#define PQC_GROUP_AGG "agg"                 /* 1 h, slow lane */

/* Run on the slow lane (second database connection): for work whose SQL may
 * take seconds. Without it, a tick with no group runs on the fast lane. */
#define PQC_TICK_SLOW 0x1u

typedef struct pqc_tick_def {
  uint32_t struct_size;
  const char *name;          /* unique within the plugin: [a-z0-9_]{1,48} */
  const char *group;         /* a PQC_GROUP_* to follow, or NULL */
  uint32_t default_interval_ms; /* used when group is NULL; >= 100 */
  uint32_t flags;            /* PQC_TICK_* */
  /* Called on the tick's interval. Emit rows with table_emit. Return PQC_OK,
   * PQC_RETRY (backed off) or PQC_FAIL (disabled). */
  pqc_status (*run)(void *user_data);
  void *user_data;
} pqc_tick_def;

/* ------------------------------------------------------------------------- */
/* Log parsers: turn one line into a record, or extend the previous record.   */
/* ------------------------------------------------------------------------- */

typedef enum pqc_parse_result {
  PQC_PARSE_RECORD = 0,       /* *out is a new record */
  PQC_PARSE_CONTINUATION = 1, /* *out extends the previous record of this source:
                                 its message is appended after a newline, its
                                 fields are merged; ts/level are ignored unless
                                 the level is more severe */
  PQC_PARSE_SKIP = 2,         /* the line carries nothing (blank, banner): dropped, counted */
  PQC_PARSE_UNPARSED = 3      /* not this format: the host stores the raw line
                                 with level UNKNOWN and counts it */
} pqc_parse_result;

typedef struct pqc_log_record {
  uint32_t struct_size;    /* set by the host before each parse() call */
  int64_t ts_us;           /* event time, microseconds since epoch UTC; 0 = unknown (host uses read time) */
  uint32_t level;          /* pqc_level */
  const char *component;   /* e.g. process or module name; may be NULL */
  size_t component_len;
  const char *message;     /* the message without the prefix the parser consumed */
  size_t message_len;
  const pqc_kv *fields;    /* structured context: pid, user, database, client IP, unit, ... */
  size_t n_fields;
  const char *fingerprint; /* NULL: the host computes the standard fingerprint */
} pqc_log_record;

typedef struct pqc_parser_def {
  uint32_t struct_size;
  const char *name; /* the name sources refer to ("syslog"); unique host-wide */
  /* Create per-source state (year inference, partial records, ...). source is
   * the source name, borrowed for the call. Return NULL for no state. [callback] */
  void *(*create)(void *user_data, const char *source);
  /* Parse one line (without its newline; any bytes, not NUL-terminated).
   * Strings put in *out must point into `line` or into memory `state` owns,
   * valid until the next parse() or destroy() on the same state. Never called
   * concurrently for the same state. */
  pqc_parse_result (*parse)(void *state, const char *line, size_t len, pqc_log_record *out);
  /* Free per-source state. May be NULL. */
  void (*destroy)(void *state);
  void *user_data;
  /* --- added in 1.3 (a host older than 1.3 never calls it: set create too if
   * the plugin must also run there) */
  /* [callback] As create(), with the source's options, the operator's
   * `[[logs.sources]] options = { key = value, ... }` (strings, integers,
   * floats, booleans; sorted by key; none: n_options 0). Keys, values and the
   * array are borrowed for the call: copy what the state keeps. Called instead
   * of create() when set. */
  void *(*create_with_options)(void *user_data, const char *source, const pqc_kv *options, size_t n_options);
} pqc_parser_def;

/* ------------------------------------------------------------------------- */
/* Analyzers: rule sets run on the intel or watchdog tick.                    */
/* ------------------------------------------------------------------------- */

typedef enum pqc_finding_kind {
  PQC_FINDING_INSIGHT = 0,        /* an event (anomaly, spike): deduplicated within a window */
  PQC_FINDING_ALERT = 1,          /* a condition: open while the rule fires, resolved when it stops */
  PQC_FINDING_RECOMMENDATION = 2  /* an action to take: open while the rule fires, resolved when it
                                     stops, hidden while acknowledged by an operator */
} pqc_finding_kind;

typedef enum pqc_severity {
  PQC_SEVERITY_INFO = 0,
  PQC_SEVERITY_WARN = 1,
  PQC_SEVERITY_CRITICAL = 2
} pqc_severity;

/* A finding. The host owns its lifecycle: a finding with the same (analyzer,
 * kind, key) as an open one updates it (last seen, value, count) instead of
 * inserting; an ALERT or RECOMMENDATION of this analyzer not reported again in
 * a run is resolved; INSIGHTs are deduplicated within dedup_window_secs. */
typedef struct pqc_finding {
  uint32_t struct_size;
  uint32_t kind;           /* pqc_finding_kind */
  uint32_t severity;       /* pqc_severity */
  const char *key;         /* stable identity of the condition, e.g. "table_bloat:public.orders" */
  const char *domain;      /* "api", "db", "proxy", "system", "logs", ... */
  const char *metric;      /* the metric or rule name */
  const char *target;      /* what it is about (table, process, IP); may be NULL */
  const char *title;       /* one line */
  const char *description; /* may be NULL */
  const char *action;      /* remediation steps; may be NULL */
  double value;            /* observed value (NaN if none) */
  double threshold;        /* threshold or baseline mean (NaN if none) */
  double z_score;          /* NaN if none */
  uint32_t dedup_window_secs; /* insights: 0 = host default (3600) */
  /* --- added in 1.2 (a 1.1 host refuses a finding this large: report()
   * returns PQC_EINVAL; check the host's abi_minor >= 2 before filling them) */
  const char *type;          /* insights: the type column ("anomaly", "drift", ...); NULL = metric */
  const char *metric_key;    /* the series within the metric (a table, a process); may be NULL */
  const char *context_json;  /* a JSON object stored in the row's context; NULL = none; invalid JSON is dropped */
  const char *direction;     /* insights: "spike" or "drop"; NULL = from the sign of z_score */
  double baseline_stddev;    /* NaN if none */
  double drift_pct;          /* (value - baseline mean) / baseline mean * 100; NaN if none */
} pqc_finding;

typedef struct pqc_analyzer_def {
  uint32_t struct_size;
  const char *name;  /* unique within the plugin */
  const char *group; /* PQC_GROUP_INTEL or PQC_GROUP_WATCHDOG */
  /* One run of the rule set: query with pqc_host_api.query, report with
   * pqc_host_api.report. PQC_RETRY/PQC_FAIL as for ticks; on anything but
   * PQC_OK the host does not resolve this analyzer's open findings. */
  pqc_status (*run)(void *user_data);
  void *user_data;
} pqc_analyzer_def;

/* ------------------------------------------------------------------------- */
/* The host API table, handed to init(). Grows only at its end.               */
/* ------------------------------------------------------------------------- */

/* Where a log source reads from (pqc_source_def.kind). */
typedef enum pqc_source_kind {
  PQC_SOURCE_FILE = 0,    /* a file, followed through rotation; target is its path */
  PQC_SOURCE_JOURNAL = 1  /* a systemd unit's journal; target is the unit name */
} pqc_source_kind;

/* A default log source a plugin proposes (register_source, since 1.1). */
typedef struct pqc_source_def {
  uint32_t struct_size;   /* sizeof(pqc_source_def) */
  const char *name;       /* unique source name: the `source` column, [a-z0-9_.-]{1,64} */
  uint32_t kind;          /* a pqc_source_kind */
  const char *target;     /* file path or journal unit */
  const char *parser;     /* a registered parser's name ("syslog") */
} pqc_source_def;

typedef struct pqc_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* --- logging ----------------------------------------------------------- */
  /* [any] Log a line attributed to the plugin. msg borrowed for the call. */
  void (*log)(pqc_plugin *self, pqc_log_level level, const char *msg);

  /* --- configuration ----------------------------------------------------- */
  /* [any] Read a value of this plugin's section, [plugin.<name>], by dotted
   * path ("timeout_ms", "targets.0.url"). Strings are borrowed for the plugin's
   * lifetime. Returns PQC_OK, or PQC_EINVAL if the path is absent (out->type
   * is then PQC_VALUE_NULL). */
  pqc_status (*config_get)(pqc_plugin *self, const char *path, pqc_value *out);
  /* [any] The same, from the root of the collector's configuration, resolved
   * with env overrides ("collector.processes", "scrape.api_metrics_url"). */
  pqc_status (*config_get_global)(pqc_plugin *self, const char *path, pqc_value *out);

  /* --- registration [init] ----------------------------------------------- */
  /* The def is copied. Duplicate names refuse the whole plugin. */
  pqc_status (*register_tick)(pqc_plugin *self, const pqc_tick_def *def);
  pqc_status (*register_parser)(pqc_plugin *self, const pqc_parser_def *def);
  pqc_status (*register_analyzer)(pqc_plugin *self, const pqc_analyzer_def *def);

  /* --- rows to the batched writer ---------------------------------------- */
  /* [init] Declare a target: a table ("collector.system_metrics_raw") and the
   * columns this plugin fills, in the order table_emit takes them. The host
   * adds `host` itself, and `ts` (the emit time) unless listed. *out is valid
   * for the plugin's lifetime. Prefer table_open_typed (since 1.4): with the
   * value types declared, a wrong cell is refused at emit. */
  pqc_status (*table_open)(pqc_plugin *self, const char *table, const char *const *columns,
                           size_t n_columns, pqc_table **out);
  /* [callback] Queue one row. values has exactly n_columns cells; contents are
   * copied. Rows are written in batches by COPY; a row is durable only after
   * the host's flush. While the database is down the host keeps rows up to a
   * memory cap, then drops the oldest queued metric rows (counted in its
   * stats); the new row is always queued. PQC_EINVAL (nothing queued,
   * last_error names the column): wrong cell count, or a cell the table
   * cannot take, so one bad row never costs the batch it would have been
   * flushed in. Once the host has checked the target against the table (at
   * start, after the migrations; again on reload) that covers, for every
   * target: NULL in a NOT NULL column (a NaN or infinite DOUBLE is NULL), an
   * INT outside a smallint or integer column's range, and every row of a
   * target the table cannot take at all (a column it lacks, a NOT NULL column
   * without a default the target leaves out). For a typed target
   * (table_open_typed) it also covers, from the first emit on, a cell of
   * another type than its column's declaration (an INT is taken where DOUBLE
   * is declared). The server still checks the rest (lengths, CHECK
   * constraints, the input syntax of TEXT for types like inet): a row failing
   * those is rejected with its table's batch at flush, counted in
   * writer.rejected_rows. */
  pqc_status (*table_emit)(pqc_table *table, const pqc_value *values, size_t n_values);

  /* --- SQL on the host's connection -------------------------------------- */
  /* [callback] Run one statement with text parameters ($1..$n; NULL entries
   * are SQL NULL) on the calling tick's lane connection and return its rows as
   * text. On PQC_OK, *out must be freed with result_free. On failure *out is
   * NULL and last_error() tells why. PQC_RETRY: no connection right now;
   * PQC_FAIL: the server rejected the statement. */
  pqc_status (*query)(pqc_plugin *self, const char *sql, const char *const *params,
                      size_t n_params, pqc_result **out);
  size_t (*result_rows)(const pqc_result *res);
  size_t (*result_columns)(const pqc_result *res);
  /* Column name, borrowed until result_free. */
  const char *(*result_column_name)(const pqc_result *res, size_t column);
  /* Cell text, borrowed until result_free; NULL for SQL NULL or out of range. */
  const char *(*result_value)(const pqc_result *res, size_t row, size_t column);
  void (*result_free)(pqc_result *res);
  /* [any] The last failure of a host call on this thread ("SQLSTATE 42P01:
   * relation ... does not exist"), borrowed until the next host call on this
   * thread; "" if none. */
  const char *(*last_error)(pqc_plugin *self);

  /* --- HTTP ------------------------------------------------------------- */
  /* [callback] GET an http:// URL with a total timeout. On PQC_OK, *out holds
   * the status and body (free with http_free). PQC_RETRY: connection refused,
   * reset or timed out (last_error says which). */
  pqc_status (*http_get)(pqc_plugin *self, const char *url, uint32_t timeout_ms,
                         pqc_http_response **out);
  int (*http_status)(const pqc_http_response *res);
  /* Body bytes (not NUL-terminated), borrowed until http_free. */
  const char *(*http_body)(const pqc_http_response *res, size_t *len);
  void (*http_free)(pqc_http_response *res);

  /* --- clock and time --------------------------------------------------- */
  /* [any] Wall clock, microseconds since the epoch (UTC). */
  int64_t (*now_us)(void);
  /* [any] Monotonic clock, nanoseconds; for measuring intervals. */
  uint64_t (*monotonic_ns)(void);
  /* [any] Convert a zone-less local time to microseconds since the epoch,
   * using the zone configured for log timestamps (default: the host's). month
   * 1-12. Returns PQC_EINVAL for impossible dates. */
  pqc_status (*local_time_to_us)(int year, int month, int day, int hour, int minute,
                                 int second, int microsecond, int64_t *out);

  /* --- findings --------------------------------------------------------- */
  /* [callback, analyzers only] Report a finding of the running analyzer. */
  pqc_status (*report)(pqc_plugin *self, const pqc_finding *finding);

  /* --- schema ----------------------------------------------------------- */
  /* [init] Ship a migration for the plugin's own tables. The host applies it
   * once, after the core migrations and in registration order, inside a
   * transaction, and records it as "<plugin>/<name>" with a checksum; an
   * applied migration whose SQL later changes stops the daemon with a clear
   * error. name: [a-z0-9_]{1,48}, e.g. "001_my_tables". sql is copied. */
  pqc_status (*register_migration)(pqc_plugin *self, const char *name, const char *sql);

  /* --- added in 1.1 (check PQC_API_HAS(api, register_source)) ------------ */
  /* [init] Propose a default log source, read with one of the plugin's (or
   * another plugin's) parsers. The operator's configuration wins: a
   * [[logs.sources]] entry of the same name changes it (path, unit, parser,
   * `enabled = false`), and `[logs] default_sources = false` drops every
   * default. A name proposed twice, by this plugin or by an earlier one, is
   * PQC_EINVAL. The def is copied, strings included. */
  pqc_status (*register_source)(pqc_plugin *self, const pqc_source_def *def);

  /* --- added in 1.3 (check PQC_API_HAS(api, parse_timestamp)) ------------ */
  /* [any] Parse an ISO 8601 / RFC 3339 date-time with its zone into
   * microseconds since the epoch, UTC: `YYYY-MM-DD`, then `T`, `t` or a space,
   * `HH:MM[:SS[.fraction]]`, then `Z`, an offset (`+hh`, `+hhmm`, `+hh:mm`) or
   * nothing (UTC; use local_time_to_us for zone-less local times). Up to six
   * fraction digits count; more are dropped. text: len bytes, borrowed for the
   * call, need not be NUL-terminated; surrounding spaces are ignored. Returns
   * PQC_OK, or PQC_EINVAL (nothing written to *out) for any other text or an
   * impossible date. Pure: safe from parse(). */
  pqc_status (*parse_timestamp)(const char *text, size_t len, int64_t *out_us);
  /* [callback] As query(), for analyzers that only read: refuses (PQC_EINVAL,
   * nothing run, last_error says why) anything but ONE statement starting with
   * SELECT or WITH, and runs it in its own READ ONLY transaction, so a
   * data-modifying CTE or function fails with PQC_FAIL instead of writing.
   * For both query() and query_readonly() the host checks the connection after
   * the statement: one left inside a transaction (BEGIN without COMMIT, or an
   * aborted one) is rolled back and the call returns PQC_FAIL. */
  pqc_status (*query_readonly)(pqc_plugin *self, const char *sql, const char *const *params,
                               size_t n_params, pqc_result **out);

  /* --- added in 1.4 (check PQC_API_HAS(api, table_open_typed)) ---------- */
  /* [init] As table_open, with each column's value type declared. The host
   * checks every emitted cell against its declaration (PQC_EINVAL at emit),
   * and, once the schema is in place, the declarations against the table:
   *   BOOL       boolean
   *   INT        smallint, integer, bigint, numeric, real, double precision
   *   DOUBLE     real, double precision, numeric
   *   TEXT       any column but boolean, numeric, timestamp and json ones:
   *              text, varchar, name, enums, inet, uuid, pg_lsn, date, arrays...
   *              (the server parses the text at flush)
   *   TIMESTAMP  timestamptz, timestamp
   *   JSON       jsonb, json, and string columns (text, varchar, ...)
   * (a domain counts as its base type). A declaration the table contradicts,
   * or a column the table lacks, logs one error line naming the plugin, the
   * table and the column, and every emit into that target then returns
   * PQC_EINVAL with the same reason, instead of COPY rejecting each batch.
   * Returns PQC_EINVAL at once for a bad name, a repeated column, an unknown
   * type or nonzero flags. columns is borrowed for the call. */
  pqc_status (*table_open_typed)(pqc_plugin *self, const char *table, const pqc_column_def *columns,
                                 size_t n_columns, pqc_table **out);
} pqc_host_api;

/* ------------------------------------------------------------------------- */
/* The plugin's descriptor and entry point.                                   */
/* ------------------------------------------------------------------------- */

typedef struct pqc_plugin_descriptor {
  uint32_t struct_size; /* sizeof(pqc_plugin_descriptor) */
  uint16_t abi_major;   /* PQC_ABI_MAJOR */
  uint16_t abi_minor;   /* PQC_ABI_MINOR */
  const char *name;     /* unique plugin name: [a-z0-9_]{1,48}; its config section is [plugin.<name>] */
  const char *version;  /* the plugin's own version, free form */
  const char *description; /* one line; may be NULL */
  /* [init] Register ticks, parsers and analyzers; open tables. api and self
   * stay valid until shutdown() returns: keep them. Do no collection work
   * here: `pqcrypta-collector plugins` calls init() to list registrations.
   * Return PQC_OK, or PQC_FAIL to be refused (log why first). Since 1.1:
   * return PQC_EINVAL when a value of the configuration the plugin reads
   * (config_get, config_get_global) is bad, after logging one PQC_LOG_ERROR
   * line naming the key ("config: scrape.timeout_ms: 5 is out of range"):
   * the host then stops `run`, `check-config` and `migrate` with exit status 2,
   * as for its own keys, instead of going on without the plugin. */
  pqc_status (*init)(const pqc_host_api *api, pqc_plugin *self);
  /* Called once at exit after every tick has stopped and rows were flushed.
   * May be NULL. Not called when shutdown_v2 is set. */
  void (*shutdown)(void);
  /* --- added in 1.3 (a host older than 1.3 never reads it: set shutdown too
   * if the plugin must also release on such hosts) */
  /* [main thread] As shutdown(), with the handle init() received, so a plugin
   * can log its last lines and keep no global copy of it. self stays valid for
   * the call. May be NULL. */
  void (*shutdown_v2)(pqc_plugin *self);
} pqc_plugin_descriptor;

/* The single symbol a plugin exports. Returns a pointer to a descriptor with
 * static storage duration. Must be cheap and side-effect free: the host also
 * calls it for `plugin check`, without init(). */
typedef const pqc_plugin_descriptor *(*pqc_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* PQCRYPTA_PLUGIN_H */
