/* Test plugin for typed row targets (ABI 1.4 table_open_typed): one tick emits
 * a row per case, good and bad, and records each table_emit status and
 * last_error as a row of collector.typed_results, so the test reads what the
 * host answered whether the plugin runs in process or in a runner.
 * Compiled with: cc -shared -fPIC -I <header dir> typed.c */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pqcrypta_plugin.h"

static const pqc_host_api *host;
static pqc_plugin *self;
static pqc_table *rows, *wrong, *results;
static int ran;
/* Statuses of the bad declarations tried in init(). */
static pqc_status init_array_type, init_flags, init_repeated;

static pqc_value cell_int(int64_t i) { pqc_value v = {.type = PQC_VALUE_INT}; v.v.i = i; return v; }
static pqc_value cell_double(double d) { pqc_value v = {.type = PQC_VALUE_DOUBLE}; v.v.d = d; return v; }
static pqc_value cell_text(const char *s) { pqc_value v = {.type = PQC_VALUE_TEXT, .len = strlen(s)}; v.v.s = s; return v; }
static pqc_value cell_json(const char *s) { pqc_value v = {.type = PQC_VALUE_JSON, .len = strlen(s)}; v.v.s = s; return v; }
static pqc_value cell_null(void) { pqc_value v = {.type = PQC_VALUE_NULL}; return v; }

/* Records one case: its name, the status and the host's last_error. */
static void record(const char *name, pqc_status status) {
  int from_init = strncmp(name, "init_", 5) == 0;
  pqc_value v[3] = {cell_text(name), cell_int(status), cell_text(status == PQC_OK || from_init ? "" : host->last_error(self))};
  host->table_emit(results, v, 3);
}

/* n INT, d DOUBLE, label TEXT, meta JSON */
static void emit_row(const char *name, pqc_value n, pqc_value d, pqc_value label, pqc_value meta) {
  pqc_value v[4] = {n, d, label, meta};
  record(name, host->table_emit(rows, v, 4));
}

#ifdef EVERY_RUN
/* -DEVERY_RUN: one good row a run, its status recorded as case "run" (the
 * reload test changes the table under it). */
static pqc_status tick(void *user_data) {
  (void)user_data;
  emit_row("run", cell_int(++ran), cell_double(1), cell_text("r"), cell_null());
  return PQC_OK;
}
#else
static pqc_status tick(void *user_data) {
  (void)user_data;
  if (ran++) return PQC_OK;
  record("init_array_type", init_array_type);
  record("init_flags", init_flags);
  record("init_repeated", init_repeated);
  emit_row("good", cell_int(1), cell_double(1.5), cell_text("a"), cell_json("{\"k\":1}"));
  emit_row("int_as_double", cell_int(2), cell_int(7), cell_text("b"), cell_null());
  emit_row("nan_in_nullable", cell_int(3), cell_double(NAN), cell_text("c"), cell_null());
  emit_row("text_in_int", cell_text("4"), cell_double(1), cell_text("d"), cell_null());
  emit_row("json_in_text", cell_int(5), cell_double(1), cell_json("{}"), cell_null());
  emit_row("null_in_not_null", cell_null(), cell_double(1), cell_text("e"), cell_null());
  emit_row("int4_overflow", cell_int(3000000000LL), cell_double(1), cell_text("f"), cell_null());
  emit_row("double_in_json", cell_int(6), cell_double(1), cell_text("g"), cell_double(2));
  pqc_value three[3] = {cell_int(7), cell_double(1), cell_text("h")};
  record("wrong_count", host->table_emit(rows, three, 3));
  pqc_value w[1] = {cell_text("9")};
  record("declared_against_table", host->table_emit(wrong, w, 1));
  return PQC_OK;
}
#endif

static pqc_status typed_init(const pqc_host_api *api, pqc_plugin *plugin) {
  host = api;
  self = plugin;
  if (!PQC_API_HAS(api, table_open_typed)) return PQC_FAIL;
  api->register_migration(plugin, "001_typed",
                          "CREATE TABLE collector.typed_rows (host text NOT NULL, ts timestamptz NOT NULL,"
                          " n integer NOT NULL, d double precision, label text, meta jsonb);"
                          "CREATE TABLE collector.typed_wrong (host text, ts timestamptz, v integer);"
                          "CREATE TABLE collector.typed_results (host text, ts timestamptz, name text, status int, error text);");
  const pqc_column_def row_cols[] = {
      {"n", PQC_VALUE_INT, 0}, {"d", PQC_VALUE_DOUBLE, 0}, {"label", PQC_VALUE_TEXT, 0}, {"meta", PQC_VALUE_JSON, 0}};
  const pqc_column_def wrong_cols[] = {{"v", PQC_VALUE_TEXT, 0}};
  const pqc_column_def result_cols[] = {{"name", PQC_VALUE_TEXT, 0}, {"status", PQC_VALUE_INT, 0}, {"error", PQC_VALUE_TEXT, 0}};
  if (api->table_open_typed(plugin, "collector.typed_rows", row_cols, 4, &rows) != PQC_OK) return PQC_FAIL;
  if (api->table_open_typed(plugin, "collector.typed_wrong", wrong_cols, 1, &wrong) != PQC_OK) return PQC_FAIL;
  if (api->table_open_typed(plugin, "collector.typed_results", result_cols, 3, &results) != PQC_OK) return PQC_FAIL;
  pqc_table *unused;
  const pqc_column_def array_col[] = {{"v", PQC_VALUE_ARRAY, 0}};
  init_array_type = api->table_open_typed(plugin, "collector.typed_wrong", array_col, 1, &unused);
  const pqc_column_def flag_col[] = {{"v", PQC_VALUE_INT, 0x8}};
  init_flags = api->table_open_typed(plugin, "collector.typed_wrong", flag_col, 1, &unused);
  const pqc_column_def twice[] = {{"v", PQC_VALUE_INT, 0}, {"v", PQC_VALUE_INT, 0}};
  init_repeated = api->table_open_typed(plugin, "collector.typed_wrong", twice, 2, &unused);
  pqc_tick_def t = {.struct_size = sizeof t, .name = "cases", .default_interval_ms = 300, .run = tick};
  return api->register_tick(plugin, &t);
}

PQC_PLUGIN_EXPORT const pqc_plugin_descriptor *pqc_plugin_entry(void) {
  static const pqc_plugin_descriptor d = {
      .struct_size = sizeof d, .abi_major = PQC_ABI_MAJOR, .abi_minor = PQC_ABI_MINOR,
      .name = "typed", .version = "0.0.1", .init = typed_init};
  return &d;
}
