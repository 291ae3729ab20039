/* Test plugin that reads: an analyzer that queries and reports, a tick that
 * fetches over HTTP and emits. The test kit's canned answers drive it
 * (HostTests.TestKitTests). Compiled with: cc -shared -fPIC -I <header dir> reader.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pqcrypta_plugin.h"

static const pqc_host_api *host;
static pqc_plugin *self;
static pqc_table *statuses;

/* Recommends cleaning every mount above 90 % full. */
static pqc_status disk(void *user_data) {
  (void)user_data;
  pqc_result *res = NULL;
  const char *params[] = {"h1"};
  pqc_status st = host->query_readonly(self, "SELECT mount, used_pct FROM collector.disk WHERE host = $1", params, 1, &res);
  if (st != PQC_OK) {
    host->log(self, PQC_LOG_ERROR, host->last_error(self));
    return st;
  }
  for (size_t r = 0; r < host->result_rows(res); r++) {
    const char *mount = host->result_value(res, r, 0), *pct = host->result_value(res, r, 1);
    if (mount == NULL || pct == NULL || atof(pct) <= 90) continue;
    char key[128];
    snprintf(key, sizeof key, "disk:%s", mount);
    pqc_finding f = {.struct_size = sizeof f, .kind = PQC_FINDING_RECOMMENDATION, .severity = PQC_SEVERITY_WARN,
                     .key = key, .domain = "system", .metric = "disk_used_pct", .target = mount,
                     .title = "disk almost full", .value = atof(pct), .threshold = 90};
    host->report(self, &f);
  }
  host->result_free(res);
  /* What the host refuses for query_readonly, the kit refuses too. */
  if (host->query_readonly(self, "DELETE FROM collector.disk", NULL, 0, &res) == PQC_EINVAL)
    host->log(self, PQC_LOG_INFO, "readonly refused a DELETE");
  return PQC_OK;
}

/* Emits the HTTP status of the app's status page. */
static pqc_status scrape(void *user_data) {
  (void)user_data;
  pqc_http_response *res = NULL;
  if (host->http_get(self, "http://127.0.0.1:9100/status", 1000, &res) != PQC_OK) return PQC_RETRY;
  size_t len = 0;
  const char *body = host->http_body(res, &len);
  pqc_value v[2] = {{.type = PQC_VALUE_INT}, {.type = PQC_VALUE_TEXT, .len = len}};
  v[0].v.i = host->http_status(res);
  v[1].v.s = body;
  pqc_status st = host->table_emit(statuses, v, 2);
  host->http_free(res);
  return st;
}

static pqc_status reader_init(const pqc_host_api *api, pqc_plugin *plugin) {
  host = api;
  self = plugin;
  const pqc_column_def cols[] = {{"status", PQC_VALUE_INT, 0}, {"body", PQC_VALUE_TEXT, 0}};
  if (api->table_open_typed(plugin, "collector.reader_status", cols, 2, &statuses) != PQC_OK) return PQC_FAIL;
  pqc_analyzer_def a = {.struct_size = sizeof a, .name = "disk", .group = PQC_GROUP_INTEL, .run = disk};
  pqc_tick_def t = {.struct_size = sizeof t, .name = "scrape", .default_interval_ms = 10000, .run = scrape};
  if (api->register_analyzer(plugin, &a) != PQC_OK) return PQC_FAIL;
  return api->register_tick(plugin, &t);
}

PQC_PLUGIN_EXPORT const pqc_plugin_descriptor *pqc_plugin_entry(void) {
  static const pqc_plugin_descriptor d = {
      .struct_size = sizeof d, .abi_major = PQC_ABI_MAJOR, .abi_minor = PQC_ABI_MINOR,
      .name = "reader", .version = "0.0.1", .init = reader_init};
  return &d;
}
