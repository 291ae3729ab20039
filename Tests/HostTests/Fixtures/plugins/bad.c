/* A plugin that misbehaves in the ways issue 12 lists, one way per -D flag.
 * Built by the isolation tests with one command:
 *   cc -shared -fPIC -I <header dir> -DPARSE_CRASH bad.c -o bad.so
 *
 * Its parser "bad" stores each line as one record (message = the line), except
 * a line containing "POISON":
 *   PARSE_CRASH  dereferences NULL on it
 *   PARSE_HANG   never returns on it
 * Its tick "work" (every TICK_MS, default 300 ms):
 *   TICK_ABORT   calls abort()
 *   TICK_HANG    never returns
 *   TICK_LEAK    leaks 8 MiB (touched) per run, without bound
 *   TICK_SPAM    writes 200 lines to stdout and 200 to stderr per run
 * and otherwise emits nothing. INIT_CRASH dereferences NULL in init(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pqcrypta_plugin.h"

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "bad"
#endif
#ifndef TICK_MS
#define TICK_MS 300
#endif

static const pqc_host_api *host;
static pqc_plugin *self;

static int is_poison(const char *line, size_t len) {
  static const char marker[] = "POISON";
  size_t m = sizeof marker - 1;
  for (size_t i = 0; i + m <= len; i++)
    if (memcmp(line + i, marker, m) == 0) return 1;
  return 0;
}

static pqc_parse_result parse_line(void *state, const char *line, size_t len, pqc_log_record *out) {
  (void)state;
  if (is_poison(line, len)) {
#ifdef PARSE_CRASH
    volatile int *nothing = NULL;
    *nothing = 1;
#endif
#ifdef PARSE_HANG
    for (;;) sleep(1);
#endif
  }
  out->level = PQC_LEVEL_INFO;
  out->message = line;
  out->message_len = len;
  return PQC_PARSE_RECORD;
}

static pqc_status tick_run(void *user_data) {
  (void)user_data;
#ifdef TICK_ABORT
  abort();
#endif
#ifdef TICK_HANG
  for (;;) sleep(1);
#endif
#ifdef TICK_LEAK
  size_t size = 8u << 20;
  char *p = malloc(size);
  if (p) memset(p, 1, size);
#endif
#ifdef TICK_SPAM
  for (int i = 0; i < 200; i++) {
    printf("spam to stdout %d\n", i);
    fprintf(stderr, "spam to stderr %d\n", i);
  }
  fflush(stdout);
#endif
  return PQC_OK;
}

static pqc_status bad_init(const pqc_host_api *api, pqc_plugin *plugin) {
  host = api;
  self = plugin;
#ifdef INIT_CRASH
  volatile int *nothing = NULL;
  *nothing = 1;
#endif
  pqc_parser_def parser = {0};
  parser.struct_size = sizeof parser;
  parser.name = "bad";
  parser.parse = parse_line;
  if (host->register_parser(self, &parser) != PQC_OK) return PQC_FAIL;
#if defined(TICK_ABORT) || defined(TICK_HANG) || defined(TICK_LEAK) || defined(TICK_SPAM)
  pqc_tick_def tick = {0};
  tick.struct_size = sizeof tick;
  tick.name = "work";
  tick.default_interval_ms = TICK_MS;
  tick.run = tick_run;
  if (host->register_tick(self, &tick) != PQC_OK) return PQC_FAIL;
#endif
  return PQC_OK;
}

PQC_PLUGIN_EXPORT const pqc_plugin_descriptor *pqc_plugin_entry(void) {
  static pqc_plugin_descriptor d;
  d.struct_size = sizeof d;
  d.abi_major = PQC_ABI_MAJOR;
  d.abi_minor = PQC_ABI_MINOR;
  d.name = PLUGIN_NAME;
  d.version = "0.0.1";
  d.description = "misbehaves on purpose (isolation tests)";
  d.init = bad_init;
  return &d;
}
