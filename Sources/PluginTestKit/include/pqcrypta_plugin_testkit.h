/*
 * pqcrypta_plugin_testkit.h -- a fake host for testing a plugin without the
 * collector: it hands the plugin a complete pqc_host_api that records what the
 * plugin does (rows emitted, findings reported, parse results, registrations,
 * log lines) for the test to check. No database, no threads, no files.
 *
 * Single header: in ONE C file of the test, before including it,
 *     #define PQC_TESTKIT_IMPLEMENTATION
 * Build a test with the plugin's own source (or dlopen its .so with
 * pqc_testkit_load_file):
 *     cc $(pkg-config --cflags pqcrypta-plugin) my_plugin.c my_plugin_test.c -o t -ldl && ./t
 * From Swift: the package's PluginTestKit target (`import PluginTestKit`).
 *
 * OWNERSHIP: everything a pqc_testkit_* function returns is owned by the kit
 * and valid until pqc_testkit_free (records: until the next parse call).
 * THREADING: a kit is used by one thread at a time; ticks, analyzers and
 * parsers run on the calling thread, as the tests ask for them.
 * Since ABI 1.3. The kit's API table is this header's version (PQC_ABI_MINOR).
 * Since 1.4 it checks emitted cells against table_open_typed's declarations
 * as the host does (PQC_EINVAL, last_error naming the column); the checks
 * the host makes against the real table (NOT NULL, integer ranges, columns
 * the table lacks) need the database and are the host's alone.
 */
#ifndef PQCRYPTA_PLUGIN_TESTKIT_H
#define PQCRYPTA_PLUGIN_TESTKIT_H

#include "pqcrypta_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pqc_testkit pqc_testkit;

/* One parse result, copied out of the plugin's memory. Cells and field values
 * are rendered as text: ints and timestamps in decimal, doubles with %.17g,
 * bools as "true"/"false"; NULL for SQL NULL. */
typedef struct pqc_testkit_record {
  pqc_parse_result result;
  int64_t ts_us;
  uint32_t level;      /* pqc_level */
  const char *component; /* NULL if none */
  const char *message;
  size_t n_fields;
  const char *const *field_keys;
  const char *const *field_values;
  const char *fingerprint; /* NULL if the plugin left it to the host */
} pqc_testkit_record;

/* A new, empty kit; free it with pqc_testkit_free. */
pqc_testkit *pqc_testkit_new(void);
void pqc_testkit_free(pqc_testkit *kit);

/* The kit's API table and plugin handle, to call the host functions directly
 * (e.g. parse_timestamp) or to init a plugin by hand. */
const pqc_host_api *pqc_testkit_api(pqc_testkit *kit);
pqc_plugin *pqc_testkit_plugin(pqc_testkit *kit);

/* Configuration the plugin reads: config_get (scope "plugin") or
 * config_get_global (scope "global"), by dotted path; values are text, or
 * integers when pqc_testkit_config_int is used. Set before load. */
void pqc_testkit_config_text(pqc_testkit *kit, const char *scope, const char *path, const char *value);
void pqc_testkit_config_int(pqc_testkit *kit, const char *scope, const char *path, int64_t value);

/* Checks the descriptor as the host does (ABI major, minor not newer, size)
 * and calls init(). Returns init()'s status, or PQC_EINVAL for a descriptor
 * the host would refuse. pqc_testkit_load_file dlopen()s a .so first. */
pqc_status pqc_testkit_load(pqc_testkit *kit, const pqc_plugin_descriptor *descriptor);
pqc_status pqc_testkit_load_file(pqc_testkit *kit, const char *path);
/* Calls shutdown_v2 (or shutdown) and destroys parser states. */
void pqc_testkit_shutdown(pqc_testkit *kit);

/* What init() registered. */
size_t pqc_testkit_count(const pqc_testkit *kit, const char *what); /* "tick" "parser" "analyzer" "table" "migration" "source" "log" */
/* The i-th log line the plugin wrote ("ERROR message"), or NULL. */
const char *pqc_testkit_log_line(const pqc_testkit *kit, size_t i);

/* Runs a registered tick or analyzer once; returns its status (PQC_EINVAL: no such name). */
pqc_status pqc_testkit_run_tick(pqc_testkit *kit, const char *name);
pqc_status pqc_testkit_run_analyzer(pqc_testkit *kit, const char *name);

/* Parses one line with a registered parser for `source` (its state is created
 * on first use and kept, as the host keeps one per source). *out is filled. */
pqc_parse_result pqc_testkit_parse(pqc_testkit *kit, const char *parser, const char *source, const char *line,
                                   size_t len, pqc_testkit_record *out);

/* Rows emitted into `table` (as named at table_open), and one cell as text. */
size_t pqc_testkit_rows(const pqc_testkit *kit, const char *table);
const char *pqc_testkit_cell(const pqc_testkit *kit, const char *table, size_t row, const char *column);
/* The value type `column` of `table` was declared with (table_open_typed),
 * PQC_VALUE_NULL when the table was opened untyped or has no such column. */
uint32_t pqc_testkit_column_type(const pqc_testkit *kit, const char *table, const char *column);

/* Canned answers for the plugin's SQL and HTTP, so ticks and analyzers that
 * read run in tests (set before running them; copied). A query() or
 * query_readonly() whose SQL contains `match` gets the first such answer, in
 * the order added: n_columns names, and n_rows * n_columns cells row by row
 * (a NULL cell is SQL NULL). pqc_testkit_query_error answers PQC_FAIL with
 * last_error `error` instead, as a server rejection. SQL matching no answer
 * returns PQC_RETRY ("the test kit has no answer for ..."). query_readonly()
 * refuses what the host refuses: anything not starting with SELECT or WITH
 * (PQC_EINVAL). An http_get of exactly `url` answers `status` and `len` bytes
 * of `body`; other URLs return PQC_RETRY, as a refused connection. */
void pqc_testkit_query_answer(pqc_testkit *kit, const char *match, size_t n_columns, const char *const *columns,
                              size_t n_rows, const char *const *cells);
void pqc_testkit_query_error(pqc_testkit *kit, const char *match, const char *error);
void pqc_testkit_http_answer(pqc_testkit *kit, const char *url, int status, const char *body, size_t len);
/* The statements the plugin ran (query and query_readonly), in order, and the
 * i-th one's SQL and its j-th parameter (NULL for SQL NULL or out of range). */
size_t pqc_testkit_queries(const pqc_testkit *kit);
const char *pqc_testkit_query_sql(const pqc_testkit *kit, size_t i);
const char *pqc_testkit_query_param(const pqc_testkit *kit, size_t i, size_t j);

/* Findings reported by analyzer runs, in order; members as reported. */
size_t pqc_testkit_findings(const pqc_testkit *kit);
const pqc_finding *pqc_testkit_finding(const pqc_testkit *kit, size_t i);

#ifdef __cplusplus
}
#endif

/* ========================================================================= */
#ifdef PQC_TESTKIT_IMPLEMENTATION
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PQC_TK_MAX 64

typedef struct pqc_tk_config { char scope[8]; char *path; pqc_value value; char *text; } pqc_tk_config;
typedef struct pqc_tk_row { char **cells; } pqc_tk_row;
struct pqc_table { pqc_testkit *kit; char *name; size_t n_columns; char **columns; uint32_t *types; pqc_tk_row *rows; size_t n_rows, cap; };
struct pqc_plugin { pqc_testkit *kit; };
typedef struct pqc_tk_state { char *parser, *source; void *state; } pqc_tk_state;
typedef struct pqc_tk_finding { pqc_finding f; char *strings[8]; } pqc_tk_finding;
/* A canned query answer; the pqc_result handed to the plugin points at it. */
struct pqc_result { char *match; char *error; size_t n_columns, n_rows; char **columns; char **cells; };
struct pqc_http_response { char *url; int status; char *body; size_t len; };
typedef struct pqc_tk_query_log { char *sql; size_t n_params; char **params; } pqc_tk_query_log;

struct pqc_testkit {
  pqc_host_api api;
  struct pqc_plugin self;
  const pqc_plugin_descriptor *descriptor;
  int initializing, in_analyzer, shut_down;
  pqc_tk_config config[PQC_TK_MAX]; size_t n_config;
  pqc_tick_def ticks[PQC_TK_MAX]; size_t n_ticks;
  pqc_parser_def parsers[PQC_TK_MAX]; size_t n_parsers;
  pqc_analyzer_def analyzers[PQC_TK_MAX]; size_t n_analyzers;
  struct pqc_table *tables[PQC_TK_MAX]; size_t n_tables;
  size_t n_migrations, n_sources;
  pqc_tk_state states[PQC_TK_MAX]; size_t n_states;
  char *logs[1024]; size_t n_logs;
  pqc_tk_finding *findings; size_t n_findings, cap_findings;
  char *record_strings[2 * PQC_TK_MAX + 4]; size_t n_record_strings;
  const char *keys[PQC_TK_MAX], *values[PQC_TK_MAX];
  char error[256];
  struct pqc_result answers[PQC_TK_MAX]; size_t n_answers;
  struct pqc_http_response http[PQC_TK_MAX]; size_t n_http;
  pqc_tk_query_log *queries; size_t n_queries, cap_queries;
};

static char *pqc_tk_dup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (n) memcpy(d, s, n);
  d[n] = 0;
  return d;
}
static char *pqc_tk_strdup(const char *s) { return s ? pqc_tk_dup(s, strlen(s)) : NULL; }

/* A value as text (the rendering the kit's records and cells use). */
static char *pqc_tk_text(const pqc_value *v) {
  char buf[64];
  switch (v->type) {
  case PQC_VALUE_NULL: return NULL;
  case PQC_VALUE_BOOL: return pqc_tk_strdup(v->v.i ? "true" : "false");
  case PQC_VALUE_INT: case PQC_VALUE_TIMESTAMP: snprintf(buf, sizeof buf, "%lld", (long long)v->v.i); return pqc_tk_strdup(buf);
  case PQC_VALUE_DOUBLE: snprintf(buf, sizeof buf, "%.17g", v->v.d); return pqc_tk_strdup(buf);
  case PQC_VALUE_TEXT: case PQC_VALUE_JSON: return pqc_tk_dup(v->v.s ? v->v.s : "", v->v.s ? v->len : 0);
  default: return NULL;
  }
}

static void pqc_tk_log(pqc_plugin *self, pqc_log_level level, const char *msg) {
  static const char *names[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
  pqc_testkit *kit = self->kit;
  if (kit->n_logs >= 1024 || msg == NULL) return;
  size_t n = strlen(msg) + 8;
  kit->logs[kit->n_logs] = malloc(n);
  snprintf(kit->logs[kit->n_logs], n, "%s %s", level <= PQC_LOG_ERROR ? names[level] : "?", msg);
  kit->n_logs++;
}

static pqc_status pqc_tk_config_get_scoped(pqc_plugin *self, const char *scope, const char *path, pqc_value *out) {
  pqc_testkit *kit = self->kit;
  if (out == NULL) return PQC_EINVAL;
  out->type = PQC_VALUE_NULL;
  for (size_t i = 0; path && i < kit->n_config; i++)
    if (!strcmp(kit->config[i].scope, scope) && !strcmp(kit->config[i].path, path)) { *out = kit->config[i].value; return PQC_OK; }
  return PQC_EINVAL;
}
static pqc_status pqc_tk_config_get(pqc_plugin *self, const char *path, pqc_value *out) { return pqc_tk_config_get_scoped(self, "plugin", path, out); }
static pqc_status pqc_tk_config_get_global(pqc_plugin *self, const char *path, pqc_value *out) { return pqc_tk_config_get_scoped(self, "global", path, out); }

#define PQC_TK_REGISTER(list, count, def, type)                                          \
  do {                                                                                   \
    pqc_testkit *kit = self->kit;                                                        \
    if (!kit->initializing || def == NULL || def->name == NULL || count >= PQC_TK_MAX) return PQC_EINVAL; \
    if (def->struct_size > sizeof(type)) return PQC_EINVAL;                              \
    for (size_t i = 0; i < count; i++) if (!strcmp(list[i].name, def->name)) return PQC_EINVAL; \
    memset(&list[count], 0, sizeof(type));                                               \
    memcpy(&list[count], def, def->struct_size);                                         \
    list[count].name = pqc_tk_strdup(def->name);                                         \
    count++;                                                                             \
    return PQC_OK;                                                                       \
  } while (0)
static pqc_status pqc_tk_register_tick(pqc_plugin *self, const pqc_tick_def *def) { PQC_TK_REGISTER(kit->ticks, kit->n_ticks, def, pqc_tick_def); }
static pqc_status pqc_tk_register_parser(pqc_plugin *self, const pqc_parser_def *def) { PQC_TK_REGISTER(kit->parsers, kit->n_parsers, def, pqc_parser_def); }
static pqc_status pqc_tk_register_analyzer(pqc_plugin *self, const pqc_analyzer_def *def) { PQC_TK_REGISTER(kit->analyzers, kit->n_analyzers, def, pqc_analyzer_def); }

/* table_open and table_open_typed (types NULL: untyped). */
static pqc_status pqc_tk_open(pqc_plugin *self, const char *table, const char *const *columns, const uint32_t *types,
                              size_t n, pqc_table **out) {
  pqc_testkit *kit = self->kit;
  if (!kit->initializing || table == NULL || out == NULL || kit->n_tables >= PQC_TK_MAX || (n > 0 && columns == NULL)) return PQC_EINVAL;
  for (size_t i = 0; i < n; i++) {
    if (columns[i] == NULL || !strcmp(columns[i], "host")) return PQC_EINVAL;
    for (size_t j = 0; j < i; j++) if (!strcmp(columns[i], columns[j])) {
      snprintf(kit->error, sizeof kit->error, "table_open: repeated column name '%s'", columns[i]);
      return PQC_EINVAL;
    }
  }
  struct pqc_table *t = calloc(1, sizeof *t);
  t->kit = kit;
  t->name = pqc_tk_strdup(table);
  t->n_columns = n;
  t->columns = calloc(n ? n : 1, sizeof(char *));
  t->types = calloc(n ? n : 1, sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    t->columns[i] = pqc_tk_strdup(columns[i]);
    t->types[i] = types ? types[i] : PQC_VALUE_NULL;
  }
  kit->tables[kit->n_tables++] = t;
  *out = t;
  return PQC_OK;
}
static pqc_status pqc_tk_table_open(pqc_plugin *self, const char *table, const char *const *columns, size_t n, pqc_table **out) {
  return pqc_tk_open(self, table, columns, NULL, n, out);
}
static pqc_status pqc_tk_table_open_typed(pqc_plugin *self, const char *table, const pqc_column_def *defs, size_t n, pqc_table **out) {
  if (n > PQC_TK_MAX || (n > 0 && defs == NULL)) return PQC_EINVAL;
  const char *names[PQC_TK_MAX];
  uint32_t types[PQC_TK_MAX];
  for (size_t i = 0; i < n; i++) {
    if (defs[i].type == PQC_VALUE_NULL || defs[i].type > PQC_VALUE_JSON || defs[i].flags != 0) {
      snprintf(self->kit->error, sizeof self->kit->error, "table_open_typed: column '%s': bad type %u or flags 0x%x",
               defs[i].name ? defs[i].name : "(null)", defs[i].type, defs[i].flags);
      return PQC_EINVAL;
    }
    names[i] = defs[i].name;
    types[i] = defs[i].type;
  }
  return pqc_tk_open(self, table, names, types, n, out);
}

static const char *pqc_tk_type_name(uint32_t t) {
  static const char *names[] = {"NULL", "BOOL", "INT", "DOUBLE", "TEXT", "TIMESTAMP", "JSON", "ARRAY", "TABLE"};
  return t <= PQC_VALUE_TABLE ? names[t] : "?";
}

static pqc_status pqc_tk_table_emit(pqc_table *t, const pqc_value *values, size_t n) {
  if (t == NULL) return PQC_EINVAL;
  char *error = t->kit->error;
  if (n != t->n_columns || (n > 0 && values == NULL)) {
    snprintf(error, 256, "table_emit: %zu values for %zu columns of %s", n, t->n_columns, t->name);
    return PQC_EINVAL;
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t type = values[i].type, declared = t->types[i];
    if (type > PQC_VALUE_JSON) {
      snprintf(error, 256, "table_emit: %s.%s cannot take cell type %s", t->name, t->columns[i], pqc_tk_type_name(type));
      return PQC_EINVAL;
    }
    /* As the host: NULL anywhere (the table decides), an INT where DOUBLE is declared. */
    int fits = declared == PQC_VALUE_NULL || type == PQC_VALUE_NULL || type == declared ||
               (declared == PQC_VALUE_DOUBLE && type == PQC_VALUE_INT);
    if (!fits) {
      snprintf(error, 256, "table_emit: %s.%s (declared %s) cannot take cell type %s", t->name, t->columns[i],
               pqc_tk_type_name(declared), pqc_tk_type_name(type));
      return PQC_EINVAL;
    }
  }
  if (t->n_rows == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 16;
    t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
  }
  pqc_tk_row *row = &t->rows[t->n_rows++];
  row->cells = calloc(n ? n : 1, sizeof(char *));
  for (size_t i = 0; i < n; i++) row->cells[i] = pqc_tk_text(&values[i]);
  return PQC_OK;
}

static pqc_status pqc_tk_run_query(pqc_plugin *self, const char *sql, const char *const *params, size_t n, pqc_result **out,
                                   int read_only) {
  pqc_testkit *kit = self->kit;
  if (out) *out = NULL;
  if (sql == NULL || out == NULL) return PQC_EINVAL;
  if (read_only) {
    const char *p = sql;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(') p++;
    if (strncasecmp(p, "SELECT", 6) != 0 && strncasecmp(p, "WITH", 4) != 0) {
      snprintf(kit->error, sizeof kit->error, "query_readonly: only one SELECT or WITH ... SELECT statement is allowed");
      return PQC_EINVAL;
    }
  }
  if (kit->n_queries == kit->cap_queries) {
    kit->cap_queries = kit->cap_queries ? 2 * kit->cap_queries : 16;
    kit->queries = realloc(kit->queries, kit->cap_queries * sizeof *kit->queries);
  }
  pqc_tk_query_log *q = &kit->queries[kit->n_queries++];
  q->sql = pqc_tk_strdup(sql);
  q->n_params = n;
  q->params = calloc(n ? n : 1, sizeof(char *));
  for (size_t i = 0; i < n && params; i++) q->params[i] = pqc_tk_strdup(params[i]);
  for (size_t i = 0; i < kit->n_answers; i++) {
    struct pqc_result *a = &kit->answers[i];
    if (strstr(sql, a->match) == NULL) continue;
    if (a->error) {
      snprintf(kit->error, sizeof kit->error, "%s", a->error);
      return PQC_FAIL;
    }
    *out = a;
    return PQC_OK;
  }
  snprintf(kit->error, sizeof kit->error, "the test kit has no answer for: %.180s", sql);
  return PQC_RETRY;
}
static pqc_status pqc_tk_query(pqc_plugin *self, const char *sql, const char *const *params, size_t n, pqc_result **out) {
  return pqc_tk_run_query(self, sql, params, n, out, 0);
}
static pqc_status pqc_tk_query_readonly(pqc_plugin *self, const char *sql, const char *const *params, size_t n, pqc_result **out) {
  return pqc_tk_run_query(self, sql, params, n, out, 1);
}
static size_t pqc_tk_result_rows(const pqc_result *r) { return r ? r->n_rows : 0; }
static size_t pqc_tk_result_columns(const pqc_result *r) { return r ? r->n_columns : 0; }
static const char *pqc_tk_result_column_name(const pqc_result *r, size_t c) { return r && c < r->n_columns ? r->columns[c] : NULL; }
static const char *pqc_tk_result_value(const pqc_result *r, size_t row, size_t c) {
  return r && row < r->n_rows && c < r->n_columns ? r->cells[row * r->n_columns + c] : NULL;
}
static void pqc_tk_result_free(pqc_result *r) { (void)r; /* answers belong to the kit */ }
static const char *pqc_tk_last_error(pqc_plugin *self) { return self->kit->error; }
static pqc_status pqc_tk_http_get(pqc_plugin *self, const char *url, uint32_t timeout, pqc_http_response **out) {
  (void)timeout;
  pqc_testkit *kit = self->kit;
  if (out) *out = NULL;
  if (url == NULL || out == NULL) return PQC_EINVAL;
  for (size_t i = 0; i < kit->n_http; i++) {
    if (strcmp(kit->http[i].url, url) == 0) { *out = &kit->http[i]; return PQC_OK; }
  }
  snprintf(kit->error, sizeof kit->error, "connection refused: the test kit has no answer for %.180s", url);
  return PQC_RETRY;
}
static int pqc_tk_http_status(const pqc_http_response *r) { return r ? r->status : 0; }
static const char *pqc_tk_http_body(const pqc_http_response *r, size_t *len) {
  if (len) *len = r ? r->len : 0;
  return r ? r->body : NULL;
}
static void pqc_tk_http_free(pqc_http_response *r) { (void)r; /* answers belong to the kit */ }
static int64_t pqc_tk_now_us(void) { return 1795860000000000LL; /* 2026-11-28T10:00:00Z: tests are deterministic */ }
static uint64_t pqc_tk_monotonic_ns(void) { static uint64_t t; return t += 1000000; }

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t pqc_tk_days(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
static int pqc_tk_valid(int y, int mo, int d, int h, int mi, int s) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= mdays[mo - 1] + (mo == 2 && leap);
}
/* The kit's zone is UTC, so local times are UTC times. */
static pqc_status pqc_tk_local_time(int y, int mo, int d, int h, int mi, int s, int us, int64_t *out) {
  if (out == NULL || !pqc_tk_valid(y, mo, d, h, mi, s) || us < 0 || us > 999999) return PQC_EINVAL;
  *out = ((pqc_tk_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000) + us;
  return PQC_OK;
}
static int pqc_tk_num(const char *p, const char *end, int n, int *v) {
  *v = 0;
  if (end - p < n) return 0;
  for (int i = 0; i < n; i++) { if (p[i] < '0' || p[i] > '9') return 0; *v = *v * 10 + (p[i] - '0'); }
  return 1;
}
/* The host's parse_timestamp, for the forms its header documents. */
static pqc_status pqc_tk_parse_timestamp(const char *text, size_t len, int64_t *out) {
  if (text == NULL || out == NULL) return PQC_EINVAL;
  const char *p = text, *end = text + len;
  while (p < end && *p == ' ') p++;
  while (end > p && end[-1] == ' ') end--;
  int y, mo, d, h = 0, mi = 0, s = 0, us = 0, oh = 0, om = 0, sign = 0;
  if (!pqc_tk_num(p, end, 4, &y) || end - p < 10 || p[4] != '-' || !pqc_tk_num(p + 5, end, 2, &mo) || p[7] != '-' ||
      !pqc_tk_num(p + 8, end, 2, &d)) return PQC_EINVAL;
  p += 10;
  if (p < end) {
    if (*p != 'T' && *p != 't' && *p != ' ') return PQC_EINVAL;
    if (!pqc_tk_num(++p, end, 2, &h) || end - p < 5 || p[2] != ':' || !pqc_tk_num(p + 3, end, 2, &mi)) return PQC_EINVAL;
    p += 5;
    if (p < end && *p == ':') {
      if (!pqc_tk_num(++p, end, 2, &s)) return PQC_EINVAL;
      p += 2;
      if (p < end && (*p == '.' || *p == ',')) {
        const char *f = ++p;
        for (int scale = 100000; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10) us += (*p - '0') * scale;
        if (p == f) return PQC_EINVAL;
      }
    }
    if (p < end && *p == ' ') p++;
    if (p < end && (*p == 'Z' || *p == 'z')) p++;
    else if (p < end && (*p == '+' || *p == '-')) {
      sign = *p++ == '-' ? -1 : 1;
      if (!pqc_tk_num(p, end, 2, &oh)) return PQC_EINVAL;
      p += 2;
      if (p < end && *p == ':') p++;
      if (p < end) { if (!pqc_tk_num(p, end, 2, &om)) return PQC_EINVAL; p += 2; }
      if (oh > 23 || om > 59) return PQC_EINVAL;
    }
    if (p != end) return PQC_EINVAL;
  }
  int64_t v;
  if (pqc_tk_local_time(y, mo, d, h, mi, s, us, &v) != PQC_OK) return PQC_EINVAL;
  *out = v - (int64_t)sign * (oh * 3600 + om * 60) * 1000000;
  return PQC_OK;
}

static pqc_status pqc_tk_report(pqc_plugin *self, const pqc_finding *f) {
  pqc_testkit *kit = self->kit;
  if (!kit->in_analyzer || f == NULL || f->struct_size > sizeof(pqc_finding) || f->key == NULL || f->title == NULL) return PQC_EINVAL;
  if (kit->n_findings == kit->cap_findings) {
    kit->cap_findings = kit->cap_findings ? 2 * kit->cap_findings : 16;
    kit->findings = realloc(kit->findings, kit->cap_findings * sizeof *kit->findings);
  }
  pqc_tk_finding *c = &kit->findings[kit->n_findings++];
  memset(c, 0, sizeof *c);
  memcpy(&c->f, f, f->struct_size);
  const char **strings[] = {&c->f.key, &c->f.domain, &c->f.metric, &c->f.target, &c->f.title, &c->f.description, &c->f.action, &c->f.type};
  for (int i = 0; i < 8; i++) *strings[i] = c->strings[i] = pqc_tk_strdup(*strings[i]);
  return PQC_OK;
}
static pqc_status pqc_tk_register_migration(pqc_plugin *self, const char *name, const char *sql) {
  if (!self->kit->initializing || name == NULL || sql == NULL) return PQC_EINVAL;
  self->kit->n_migrations++;
  return PQC_OK;
}
static pqc_status pqc_tk_register_source(pqc_plugin *self, const pqc_source_def *def) {
  if (!self->kit->initializing || def == NULL || def->name == NULL || def->parser == NULL) return PQC_EINVAL;
  self->kit->n_sources++;
  return PQC_OK;
}

pqc_testkit *pqc_testkit_new(void) {
  pqc_testkit *kit = calloc(1, sizeof *kit);
  kit->self.kit = kit;
  pqc_host_api *a = &kit->api;
  a->struct_size = sizeof *a; a->abi_major = PQC_ABI_MAJOR; a->abi_minor = PQC_ABI_MINOR;
  a->log = pqc_tk_log; a->config_get = pqc_tk_config_get; a->config_get_global = pqc_tk_config_get_global;
  a->register_tick = pqc_tk_register_tick; a->register_parser = pqc_tk_register_parser; a->register_analyzer = pqc_tk_register_analyzer;
  a->table_open = pqc_tk_table_open; a->table_emit = pqc_tk_table_emit; a->query = pqc_tk_query;
  a->result_rows = pqc_tk_result_rows; a->result_columns = pqc_tk_result_columns; a->result_column_name = pqc_tk_result_column_name;
  a->result_value = pqc_tk_result_value; a->result_free = pqc_tk_result_free; a->last_error = pqc_tk_last_error;
  a->http_get = pqc_tk_http_get; a->http_status = pqc_tk_http_status; a->http_body = pqc_tk_http_body; a->http_free = pqc_tk_http_free;
  a->now_us = pqc_tk_now_us; a->monotonic_ns = pqc_tk_monotonic_ns; a->local_time_to_us = pqc_tk_local_time;
  a->report = pqc_tk_report; a->register_migration = pqc_tk_register_migration; a->register_source = pqc_tk_register_source;
  a->parse_timestamp = pqc_tk_parse_timestamp;
  a->query_readonly = pqc_tk_query_readonly;
  a->table_open_typed = pqc_tk_table_open_typed;
  return kit;
}

const pqc_host_api *pqc_testkit_api(pqc_testkit *kit) { return &kit->api; }
pqc_plugin *pqc_testkit_plugin(pqc_testkit *kit) { return &kit->self; }

static void pqc_tk_config_set(pqc_testkit *kit, const char *scope, const char *path, pqc_value v, const char *text) {
  if (kit->n_config >= PQC_TK_MAX || path == NULL) return;
  pqc_tk_config *c = &kit->config[kit->n_config++];
  snprintf(c->scope, sizeof c->scope, "%s", scope && !strcmp(scope, "global") ? "global" : "plugin");
  c->path = pqc_tk_strdup(path);
  c->text = pqc_tk_strdup(text);
  c->value = v;
  if (text) { c->value.v.s = c->text; c->value.len = strlen(text); }
}
void pqc_testkit_config_text(pqc_testkit *kit, const char *scope, const char *path, const char *value) {
  pqc_value v = {.type = PQC_VALUE_TEXT};
  pqc_tk_config_set(kit, scope, path, v, value ? value : "");
}
void pqc_testkit_config_int(pqc_testkit *kit, const char *scope, const char *path, int64_t value) {
  pqc_value v = {.type = PQC_VALUE_INT, .v.i = value};
  pqc_tk_config_set(kit, scope, path, v, NULL);
}

pqc_status pqc_testkit_load(pqc_testkit *kit, const pqc_plugin_descriptor *d) {
  if (d == NULL || d->abi_major != PQC_ABI_MAJOR || d->abi_minor > PQC_ABI_MINOR || d->struct_size > sizeof *d ||
      d->struct_size < offsetof(pqc_plugin_descriptor, shutdown) + sizeof d->shutdown || d->init == NULL || d->name == NULL)
    return PQC_EINVAL;
  kit->descriptor = d;
  kit->initializing = 1;
  pqc_status s = d->init(&kit->api, &kit->self);
  kit->initializing = 0;
  return s;
}

pqc_status pqc_testkit_load_file(pqc_testkit *kit, const char *path) {
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) { snprintf(kit->error, sizeof kit->error, "dlopen: %s", dlerror()); return PQC_EINVAL; }
  pqc_plugin_entry_fn entry = (pqc_plugin_entry_fn)dlsym(h, PQC_PLUGIN_ENTRY_SYMBOL);
  return entry ? pqc_testkit_load(kit, entry()) : PQC_EINVAL;
}

void pqc_testkit_shutdown(pqc_testkit *kit) {
  if (kit->descriptor == NULL || kit->shut_down) return;
  for (size_t i = 0; i < kit->n_states; i++) {
    for (size_t p = 0; p < kit->n_parsers; p++)
      if (!strcmp(kit->parsers[p].name, kit->states[i].parser) && kit->parsers[p].destroy) kit->parsers[p].destroy(kit->states[i].state);
    free(kit->states[i].parser); free(kit->states[i].source);
  }
  kit->n_states = 0;
  const pqc_plugin_descriptor *d = kit->descriptor;
  if (d->struct_size >= offsetof(pqc_plugin_descriptor, shutdown_v2) + sizeof d->shutdown_v2 && d->shutdown_v2) d->shutdown_v2(&kit->self);
  else if (d->shutdown) d->shutdown();
  kit->shut_down = 1;
}

void pqc_testkit_free(pqc_testkit *kit) {
  if (kit == NULL) return;
  pqc_testkit_shutdown(kit);
  for (size_t i = 0; i < kit->n_tables; i++) {
    struct pqc_table *t = kit->tables[i];
    for (size_t r = 0; r < t->n_rows; r++) { for (size_t c = 0; c < t->n_columns; c++) free(t->rows[r].cells[c]); free(t->rows[r].cells); }
    for (size_t c = 0; c < t->n_columns; c++) free(t->columns[c]);
    free(t->rows); free(t->columns); free(t->types); free(t->name); free(t);
  }
  for (size_t i = 0; i < kit->n_config; i++) { free(kit->config[i].path); free(kit->config[i].text); }
  for (size_t i = 0; i < kit->n_ticks; i++) free((char *)kit->ticks[i].name);
  for (size_t i = 0; i < kit->n_parsers; i++) free((char *)kit->parsers[i].name);
  for (size_t i = 0; i < kit->n_analyzers; i++) free((char *)kit->analyzers[i].name);
  for (size_t i = 0; i < kit->n_logs; i++) free(kit->logs[i]);
  for (size_t i = 0; i < kit->n_findings; i++) for (int s = 0; s < 8; s++) free(kit->findings[i].strings[s]);
  for (size_t i = 0; i < kit->n_record_strings; i++) free(kit->record_strings[i]);
  for (size_t i = 0; i < kit->n_answers; i++) {
    struct pqc_result *a = &kit->answers[i];
    for (size_t c = 0; c < a->n_columns; c++) free(a->columns[c]);
    for (size_t c = 0; c < a->n_columns * a->n_rows; c++) free(a->cells[c]);
    free(a->columns); free(a->cells); free(a->match); free(a->error);
  }
  for (size_t i = 0; i < kit->n_http; i++) { free(kit->http[i].url); free(kit->http[i].body); }
  for (size_t i = 0; i < kit->n_queries; i++) {
    for (size_t j = 0; j < kit->queries[i].n_params; j++) free(kit->queries[i].params[j]);
    free(kit->queries[i].params); free(kit->queries[i].sql);
  }
  free(kit->queries);
  free(kit->findings);
  free(kit);
}

size_t pqc_testkit_count(const pqc_testkit *kit, const char *what) {
  if (!strcmp(what, "tick")) return kit->n_ticks;
  if (!strcmp(what, "parser")) return kit->n_parsers;
  if (!strcmp(what, "analyzer")) return kit->n_analyzers;
  if (!strcmp(what, "table")) return kit->n_tables;
  if (!strcmp(what, "migration")) return kit->n_migrations;
  if (!strcmp(what, "source")) return kit->n_sources;
  if (!strcmp(what, "log")) return kit->n_logs;
  return 0;
}
const char *pqc_testkit_log_line(const pqc_testkit *kit, size_t i) { return i < kit->n_logs ? kit->logs[i] : NULL; }

pqc_status pqc_testkit_run_tick(pqc_testkit *kit, const char *name) {
  for (size_t i = 0; i < kit->n_ticks; i++)
    if (!strcmp(kit->ticks[i].name, name)) return kit->ticks[i].run(kit->ticks[i].user_data);
  return PQC_EINVAL;
}
pqc_status pqc_testkit_run_analyzer(pqc_testkit *kit, const char *name) {
  for (size_t i = 0; i < kit->n_analyzers; i++)
    if (!strcmp(kit->analyzers[i].name, name)) {
      kit->in_analyzer = 1;
      pqc_status s = kit->analyzers[i].run(kit->analyzers[i].user_data);
      kit->in_analyzer = 0;
      return s;
    }
  return PQC_EINVAL;
}

pqc_parse_result pqc_testkit_parse(pqc_testkit *kit, const char *parser, const char *source, const char *line, size_t len,
                                   pqc_testkit_record *out) {
  memset(out, 0, sizeof *out);
  out->result = PQC_PARSE_UNPARSED;
  const pqc_parser_def *p = NULL;
  for (size_t i = 0; i < kit->n_parsers; i++) if (!strcmp(kit->parsers[i].name, parser)) p = &kit->parsers[i];
  if (p == NULL || source == NULL) return out->result;
  pqc_tk_state *st = NULL;
  for (size_t i = 0; i < kit->n_states; i++)
    if (!strcmp(kit->states[i].parser, parser) && !strcmp(kit->states[i].source, source)) st = &kit->states[i];
  if (st == NULL && kit->n_states < PQC_TK_MAX) {
    st = &kit->states[kit->n_states++];
    st->parser = pqc_tk_strdup(parser);
    st->source = pqc_tk_strdup(source);
    /* No per-source options in the kit: create_with_options gets none. */
    st->state = p->create_with_options ? p->create_with_options(p->user_data, source, NULL, 0)
                : p->create ? p->create(p->user_data, source) : NULL;
  }
  if (st == NULL) return out->result;
  for (size_t i = 0; i < kit->n_record_strings; i++) free(kit->record_strings[i]);
  kit->n_record_strings = 0;
  pqc_log_record r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  out->result = p->parse(st->state, line, len, &r);
  if (out->result != PQC_PARSE_RECORD && out->result != PQC_PARSE_CONTINUATION) return out->result;
  out->ts_us = r.ts_us;
  out->level = r.level;
  /* Copied now: the plugin's memory is only valid until its next parse(). */
  if (r.component) out->component = kit->record_strings[kit->n_record_strings++] = pqc_tk_dup(r.component, r.component_len);
  out->message = kit->record_strings[kit->n_record_strings++] = pqc_tk_dup(r.message ? r.message : "", r.message ? r.message_len : 0);
  if (r.fingerprint) out->fingerprint = kit->record_strings[kit->n_record_strings++] = pqc_tk_strdup(r.fingerprint);
  size_t n = 0;
  for (size_t i = 0; r.fields && i < r.n_fields && n < PQC_TK_MAX; i++) {
    if (r.fields[i].key == NULL) continue;
    kit->keys[n] = kit->record_strings[kit->n_record_strings++] = pqc_tk_strdup(r.fields[i].key);
    kit->values[n] = kit->record_strings[kit->n_record_strings++] = pqc_tk_text(&r.fields[i].value);
    n++;
  }
  out->n_fields = n;
  out->field_keys = kit->keys;
  out->field_values = kit->values;
  return out->result;
}

size_t pqc_testkit_rows(const pqc_testkit *kit, const char *table) {
  for (size_t i = 0; i < kit->n_tables; i++) if (!strcmp(kit->tables[i]->name, table)) return kit->tables[i]->n_rows;
  return 0;
}
const char *pqc_testkit_cell(const pqc_testkit *kit, const char *table, size_t row, const char *column) {
  for (size_t i = 0; i < kit->n_tables; i++) {
    const struct pqc_table *t = kit->tables[i];
    if (strcmp(t->name, table) || row >= t->n_rows) continue;
    for (size_t c = 0; c < t->n_columns; c++) if (!strcmp(t->columns[c], column)) return t->rows[row].cells[c];
  }
  return NULL;
}
uint32_t pqc_testkit_column_type(const pqc_testkit *kit, const char *table, const char *column) {
  for (size_t i = 0; i < kit->n_tables; i++) {
    const struct pqc_table *t = kit->tables[i];
    if (strcmp(t->name, table)) continue;
    for (size_t c = 0; c < t->n_columns; c++) if (!strcmp(t->columns[c], column)) return t->types[c];
  }
  return PQC_VALUE_NULL;
}
void pqc_testkit_query_answer(pqc_testkit *kit, const char *match, size_t n_columns, const char *const *columns,
                              size_t n_rows, const char *const *cells) {
  if (kit->n_answers >= PQC_TK_MAX || match == NULL) return;
  struct pqc_result *a = &kit->answers[kit->n_answers++];
  memset(a, 0, sizeof *a);
  a->match = pqc_tk_strdup(match);
  a->n_columns = n_columns;
  a->n_rows = n_rows;
  a->columns = calloc(n_columns ? n_columns : 1, sizeof(char *));
  size_t n_cells = n_columns * n_rows;
  a->cells = calloc(n_cells > 0 ? n_cells : 1, sizeof(char *));
  for (size_t c = 0; c < n_columns; c++) a->columns[c] = pqc_tk_strdup(columns ? columns[c] : "");
  for (size_t c = 0; c < n_cells && cells; c++) a->cells[c] = pqc_tk_strdup(cells[c]);
}
void pqc_testkit_query_error(pqc_testkit *kit, const char *match, const char *error) {
  if (kit->n_answers >= PQC_TK_MAX || match == NULL) return;
  struct pqc_result *a = &kit->answers[kit->n_answers++];
  memset(a, 0, sizeof *a);
  a->match = pqc_tk_strdup(match);
  a->error = pqc_tk_strdup(error ? error : "error");
}
void pqc_testkit_http_answer(pqc_testkit *kit, const char *url, int status, const char *body, size_t len) {
  if (kit->n_http >= PQC_TK_MAX || url == NULL) return;
  struct pqc_http_response *r = &kit->http[kit->n_http++];
  r->url = pqc_tk_strdup(url);
  r->status = status;
  r->body = pqc_tk_dup(body ? body : "", body ? len : 0);
  r->len = body ? len : 0;
}
size_t pqc_testkit_queries(const pqc_testkit *kit) { return kit->n_queries; }
const char *pqc_testkit_query_sql(const pqc_testkit *kit, size_t i) { return i < kit->n_queries ? kit->queries[i].sql : NULL; }
const char *pqc_testkit_query_param(const pqc_testkit *kit, size_t i, size_t j) {
  return i < kit->n_queries && j < kit->queries[i].n_params ? kit->queries[i].params[j] : NULL;
}
size_t pqc_testkit_findings(const pqc_testkit *kit) { return kit->n_findings; }
const pqc_finding *pqc_testkit_finding(const pqc_testkit *kit, size_t i) { return i < kit->n_findings ? &kit->findings[i].f : NULL; }
#endif /* PQC_TESTKIT_IMPLEMENTATION */
#endif /* PQCRYPTA_PLUGIN_TESTKIT_H */
