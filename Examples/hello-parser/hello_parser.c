/*
 * hello_parser.c -- a complete pqcrypta-collector plugin in plain C.
 *
 * It shows the three things most third-party plugins do:
 *   - ships a migration for its own table (collector.hello_counts);
 *   - registers a tick that emits one row per run into that table;
 *   - registers a log parser, "hello", for lines such as
 *         2026-11-25 10:00:00 ERROR [worker-3] disk almost full
 *     where indented lines continue the previous record.
 *
 * Build (the header is the only thing it needs):
 *     cc -shared -fPIC -I Sources/PluginABI/include Examples/hello-parser/hello_parser.c -o hello_parser.so
 * Install: copy hello_parser.so into the plugin directory ([plugins] dir), owned by root, mode 0644.
 * Configure (optional):
 *     [plugin.hello_parser]
 *     greeting = "hi"
 *     interval_secs = 10
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pqcrypta_plugin.h"

static const pqc_host_api *host;
static pqc_plugin *self;
static pqc_table *counts;
static long long runs;
static char greeting[4096] = "hello";

/* ---- the tick ----------------------------------------------------------- */

static pqc_status hello_tick(void *user_data) {
  (void)user_data;
  /* Ticks never run concurrently with themselves, so `runs` needs no lock. */
  runs++;
  pqc_value row[2];
  row[0].type = PQC_VALUE_INT;
  row[0].v.i = runs;
  row[1].type = PQC_VALUE_TEXT;
  row[1].v.s = greeting;
  row[1].len = strlen(greeting);
  return host->table_emit(counts, row, 2);
}

/* ---- the parser --------------------------------------------------------- */

/* Per-source state: the fields array handed back in the record must stay
 * valid until the next parse() call, so it lives here, not on the stack. */
typedef struct hello_state {
  pqc_kv fields[1];
} hello_state;

static void *hello_create(void *user_data, const char *source) {
  (void)user_data;
  (void)source;
  return calloc(1, sizeof(hello_state));
}

static void hello_destroy(void *state) { free(state); }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static uint32_t level_of(const char *p, size_t n) {
  if (n == 5 && memcmp(p, "DEBUG", 5) == 0) return PQC_LEVEL_DEBUG;
  if (n == 4 && memcmp(p, "INFO", 4) == 0) return PQC_LEVEL_INFO;
  if (n == 4 && memcmp(p, "WARN", 4) == 0) return PQC_LEVEL_WARN;
  if (n == 5 && memcmp(p, "ERROR", 5) == 0) return PQC_LEVEL_ERROR;
  if (n == 5 && memcmp(p, "FATAL", 5) == 0) return PQC_LEVEL_FATAL;
  return PQC_LEVEL_UNKNOWN;
}

static int number(const char *p, int digits) {
  int v = 0;
  for (int i = 0; i < digits; i++) v = v * 10 + (p[i] - '0');
  return v;
}

static pqc_parse_result hello_parse(void *state, const char *line, size_t len, pqc_log_record *out) {
  hello_state *st = state;
  if (st == NULL) return PQC_PARSE_UNPARSED;
  if (len == 0) return PQC_PARSE_SKIP;
  if (line[0] == ' ' || line[0] == '\t') {
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    out->message = line + i;
    out->message_len = len - i;
    return PQC_PARSE_CONTINUATION;
  }
  /* "YYYY-MM-DD HH:MM:SS LEVEL [component] message" */
  if (len < 21 || !is_digit(line[0]) || line[4] != '-' || line[7] != '-' || line[10] != ' ' || line[13] != ':' ||
      line[16] != ':' || line[19] != ' ')
    return PQC_PARSE_UNPARSED;
  for (int i = 0; i < 19; i++)
    if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && !is_digit(line[i])) return PQC_PARSE_UNPARSED;
  int64_t ts = 0;
  if (host->local_time_to_us(number(line, 4), number(line + 5, 2), number(line + 8, 2), number(line + 11, 2),
                             number(line + 14, 2), number(line + 17, 2), 0, &ts) != PQC_OK)
    return PQC_PARSE_UNPARSED;
  size_t i = 20, start = 20;
  while (i < len && line[i] != ' ') i++;
  out->ts_us = ts;
  out->level = level_of(line + start, i - start);
  if (i < len) i++;
  if (i < len && line[i] == '[') {
    size_t c = i + 1;
    while (c < len && line[c] != ']') c++;
    if (c < len) {
      out->component = line + i + 1;
      out->component_len = c - i - 1;
      st->fields[0].key = "component_kind";
      st->fields[0].value.type = PQC_VALUE_TEXT;
      st->fields[0].value.v.s = "bracketed";
      st->fields[0].value.len = 9;
      out->fields = st->fields;
      out->n_fields = 1;
      i = c + 1;
      if (i < len && line[i] == ' ') i++;
    }
  }
  out->message = line + i;
  out->message_len = len - i;
  return PQC_PARSE_RECORD;
}

/* ---- registration ------------------------------------------------------- */

static pqc_status hello_init(const pqc_host_api *api, pqc_plugin *plugin) {
  host = api;
  self = plugin;

  pqc_value v;
  if (host->config_get(self, "greeting", &v) == PQC_OK && v.type == PQC_VALUE_TEXT)
    snprintf(greeting, sizeof greeting, "%.*s", (int)v.len, v.v.s);

  if (host->register_migration(self, "001_hello_counts",
                               "CREATE TABLE IF NOT EXISTS collector.hello_counts ("
                               " host TEXT NOT NULL, ts TIMESTAMPTZ NOT NULL, runs BIGINT, greeting TEXT)") != PQC_OK)
    return PQC_FAIL;

  /* Each column with the value type its cells have: the host refuses a wrong
   * cell at emit, and checks these against the table once it exists. */
  const pqc_column_def columns[] = {{"runs", PQC_VALUE_INT, 0}, {"greeting", PQC_VALUE_TEXT, 0}};
  if (host->table_open_typed(self, "collector.hello_counts", columns, 2, &counts) != PQC_OK) return PQC_FAIL;

  pqc_tick_def tick = {0};
  tick.struct_size = sizeof tick;
  tick.name = "hello";
  tick.default_interval_ms = 10000;
  tick.run = hello_tick;
  if (host->register_tick(self, &tick) != PQC_OK) return PQC_FAIL;

  pqc_parser_def parser = {0};
  parser.struct_size = sizeof parser;
  parser.name = "hello";
  parser.create = hello_create;
  parser.parse = hello_parse;
  parser.destroy = hello_destroy;
  if (host->register_parser(self, &parser) != PQC_OK) return PQC_FAIL;

  host->log(self, PQC_LOG_INFO, "hello_parser ready");
  return PQC_OK;
}

static void hello_shutdown(void) { host->log(self, PQC_LOG_INFO, "hello_parser stopped"); }

PQC_PLUGIN_EXPORT const pqc_plugin_descriptor *pqc_plugin_entry(void) {
  static const pqc_plugin_descriptor descriptor = {
      .struct_size = sizeof(pqc_plugin_descriptor),
      .abi_major = PQC_ABI_MAJOR,
      .abi_minor = PQC_ABI_MINOR,
      .name = "hello_parser",
      .version = "1.0.0",
      .description = "Example plain-C plugin: a tick and a parser",
      .init = hello_init,
      .shutdown = hello_shutdown,
  };
  return &descriptor;
}
