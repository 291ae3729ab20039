/* Test plugin built in variants by the host tests, each a way a plugin can be
 * wrong (or slow). Compiled with: cc -shared -fPIC -I <header dir> -D... variant.c */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pqcrypta_plugin.h"

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "variant"
#endif

static const pqc_host_api *host;
static pqc_plugin *self;

static pqc_status tick_run(void *user_data) {
  (void)user_data;
#ifdef SLOW_TICK_MS
  struct timespec ts = {SLOW_TICK_MS / 1000, (SLOW_TICK_MS % 1000) * 1000000L};
  nanosleep(&ts, NULL);
#endif
#ifdef RETRY_TICK
  return PQC_RETRY;
#else
  return PQC_OK;
#endif
}

static pqc_parse_result parse_nothing(void *state, const char *line, size_t len, pqc_log_record *out) {
  (void)state; (void)line; (void)len; (void)out;
  return PQC_PARSE_SKIP;
}

#ifdef OPTIONS_PARSER
/* A parser configured per source (ABI 1.3 create_with_options): every record's
 * message is "<tag>/<n>/<line>", from the source's options. */
typedef struct opts_state { char message[512]; char tag[64]; long long n; } opts_state;
static void *opts_create(void *user, const char *source, const pqc_kv *options, size_t n) {
  (void)user; (void)source;
  opts_state *st = calloc(1, sizeof *st);
  snprintf(st->tag, sizeof st->tag, "none");
  for (size_t i = 0; i < n; i++) {
    if (!strcmp(options[i].key, "tag") && options[i].value.type == PQC_VALUE_TEXT)
      snprintf(st->tag, sizeof st->tag, "%.*s", (int)options[i].value.len, options[i].value.v.s);
    if (!strcmp(options[i].key, "n") && options[i].value.type == PQC_VALUE_INT) st->n = options[i].value.v.i;
  }
  return st;
}
static pqc_parse_result opts_parse(void *state, const char *line, size_t len, pqc_log_record *out) {
  opts_state *st = state;
  int w = snprintf(st->message, sizeof st->message, "%s/%lld/%.*s", st->tag, st->n, (int)len, line);
  out->message = st->message;
  out->message_len = (size_t)w < sizeof st->message ? (size_t)w : sizeof st->message - 1;
  return PQC_PARSE_RECORD;
}
static void opts_destroy(void *state) { free(state); }
#endif

static pqc_status variant_init(const pqc_host_api *api, pqc_plugin *plugin) {
  host = api;
  self = plugin;
#ifdef OPTIONS_PARSER
  pqc_parser_def opts = {.struct_size = sizeof opts, .name = "opts", .parse = opts_parse, .destroy = opts_destroy,
                         .create_with_options = opts_create};
  host->register_parser(self, &opts);
#endif
#ifdef FAIL_INIT
  host->log(self, PQC_LOG_ERROR, "refusing to start on purpose");
  return PQC_FAIL;
#endif
  pqc_tick_def tick = {0};
  tick.struct_size = sizeof tick;
  tick.name = "work";
#ifdef TICK_INTERVAL_MS
  tick.default_interval_ms = TICK_INTERVAL_MS;
#else
  tick.default_interval_ms = 1000;
#endif
  tick.run = tick_run;
  host->register_tick(self, &tick);
#ifdef DUP_TICK
  host->register_tick(self, &tick);
#endif
#ifdef PARSER_NAME
  pqc_parser_def parser = {0};
  parser.struct_size = sizeof parser;
  parser.name = PARSER_NAME;
  parser.parse = parse_nothing;
  host->register_parser(self, &parser);
#endif
#ifdef BIG_TICK_DEF
  tick.struct_size = sizeof tick + 16;
  tick.name = "big";
  host->register_tick(self, &tick);
#endif
  return PQC_OK;
}

#if defined(SHUTDOWN_V2) || defined(ABI_1_0)
/* Shutdown, told apart in the log (ERROR, so `plugins` shows it). */
static void variant_shutdown(void) { host->log(self, PQC_LOG_ERROR, "shutdown() called"); }
static void variant_shutdown_v2(pqc_plugin *plugin) {
  host->log(plugin, PQC_LOG_ERROR, plugin == self ? "shutdown_v2() called with the init handle" : "shutdown_v2() called with another handle");
}
#endif

#ifndef NO_ENTRY
PQC_PLUGIN_EXPORT const pqc_plugin_descriptor *pqc_plugin_entry(void) {
  static pqc_plugin_descriptor d;
  d.struct_size = sizeof d;
#ifdef BIG_DESCRIPTOR
  d.struct_size = sizeof d + 8;
#endif
  d.abi_major = PQC_ABI_MAJOR;
#ifdef BAD_MAJOR
  d.abi_major = PQC_ABI_MAJOR + 1;
#endif
  d.abi_minor = PQC_ABI_MINOR;
#ifdef NEWER_MINOR
  d.abi_minor = PQC_ABI_MINOR + 1;
#endif
  d.name = PLUGIN_NAME;
  d.version = "0.0.1";
  d.init = variant_init;
#if defined(SHUTDOWN_V2) || defined(ABI_1_0)
  d.shutdown = variant_shutdown;
#endif
#ifdef SHUTDOWN_V2
  d.shutdown_v2 = variant_shutdown_v2;
#endif
#ifdef ABI_1_0
  /* As built against the 1.0 header: the descriptor ends at shutdown and says
   * minor 0. The slot past it holds junk a host must never call. */
  d.struct_size = offsetof(pqc_plugin_descriptor, shutdown) + sizeof d.shutdown;
  d.abi_minor = 0;
  d.shutdown_v2 = (void (*)(pqc_plugin *))(uintptr_t)1;
#endif
  return &d;
}
#else
int not_a_plugin(void) { return 42; }
#endif
