/*
 * hello_parser_test.c -- hello_parser's own tests, on the plugin test kit
 * (a fake host: no collector, no database). Build and run next to the plugin:
 *     cc $(pkg-config --cflags pqcrypta-plugin) hello_parser.c hello_parser_test.c -o hello_test -ldl && ./hello_test
 * (from a checkout: -I Sources/PluginABI/include -I Sources/PluginTestKit/include).
 * Exit status 0 when every check passes; each failure prints its line.
 */
#include <stdio.h>
#include <string.h>

#define PQC_TESTKIT_IMPLEMENTATION
#include "pqcrypta_plugin_testkit.h"

const pqc_plugin_descriptor *pqc_plugin_entry(void);

static int failures;
#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } \
  } while (0)
#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)

int main(void) {
  pqc_testkit *kit = pqc_testkit_new();
  pqc_testkit_config_text(kit, "plugin", "greeting", "hi");
  CHECK(pqc_testkit_load(kit, pqc_plugin_entry()) == PQC_OK);
  CHECK(pqc_testkit_count(kit, "tick") == 1);
  CHECK(pqc_testkit_count(kit, "parser") == 1);
  CHECK(pqc_testkit_count(kit, "migration") == 1);
  CHECK_STR(pqc_testkit_log_line(kit, 0), "INFO hello_parser ready");

  /* The tick: one row per run, with the configured greeting. */
  CHECK(pqc_testkit_run_tick(kit, "hello") == PQC_OK);
  CHECK(pqc_testkit_run_tick(kit, "hello") == PQC_OK);
  CHECK(pqc_testkit_rows(kit, "collector.hello_counts") == 2);
  CHECK_STR(pqc_testkit_cell(kit, "collector.hello_counts", 1, "runs"), "2");
  CHECK_STR(pqc_testkit_cell(kit, "collector.hello_counts", 1, "greeting"), "hi");
  CHECK(pqc_testkit_column_type(kit, "collector.hello_counts", "runs") == PQC_VALUE_INT);
  CHECK(pqc_testkit_column_type(kit, "collector.hello_counts", "greeting") == PQC_VALUE_TEXT);

  /* The parser: a record, its continuation, a blank line, a foreign line. */
  pqc_testkit_record r;
  const char *line = "2026-11-25 10:00:00 ERROR [worker-3] disk almost full";
  CHECK(pqc_testkit_parse(kit, "hello", "app", line, strlen(line), &r) == PQC_PARSE_RECORD);
  CHECK(r.ts_us == 1795600800000000LL); /* the kit's zone is UTC */
  CHECK(r.level == PQC_LEVEL_ERROR);
  CHECK_STR(r.component, "worker-3");
  CHECK_STR(r.message, "disk almost full");
  CHECK(r.n_fields == 1);
  CHECK(r.n_fields == 1 && strcmp(r.field_keys[0], "component_kind") == 0 && strcmp(r.field_values[0], "bracketed") == 0);
  line = "   at /var/lib/data";
  CHECK(pqc_testkit_parse(kit, "hello", "app", line, strlen(line), &r) == PQC_PARSE_CONTINUATION);
  CHECK_STR(r.message, "at /var/lib/data");
  CHECK(pqc_testkit_parse(kit, "hello", "app", "", 0, &r) == PQC_PARSE_SKIP);
  line = "not a hello line";
  CHECK(pqc_testkit_parse(kit, "hello", "app", line, strlen(line), &r) == PQC_PARSE_UNPARSED);
  line = "2026-02-30 10:00:00 INFO impossible date";
  CHECK(pqc_testkit_parse(kit, "hello", "app", line, strlen(line), &r) == PQC_PARSE_UNPARSED);

  pqc_testkit_shutdown(kit);
  CHECK_STR(pqc_testkit_log_line(kit, 1), "INFO hello_parser stopped");
  pqc_testkit_free(kit);
  if (failures == 0) printf("hello_parser: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
