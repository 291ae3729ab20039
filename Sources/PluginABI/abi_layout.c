/* Compile-time guards on the ABI's layout: a change that moves a member of a
 * published struct breaks every plugin built before it, so it must fail here.
 * Every member of every struct is pinned at its LP64 offset (x86_64, aarch64),
 * and every struct at its size: a member may only be appended, and then its
 * line and the new size are added here in the same change. */
#include "pqcrypta_plugin.h"

#if defined(__LP64__) || defined(_LP64)
#define PQC_AT(type, member, offset) \
  _Static_assert(offsetof(type, member) == (offset), #type "." #member " moved: the ABI is broken")
#define PQC_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " changed size: append members and update this")


PQC_SIZE(pqc_value, 24);
PQC_AT(pqc_value, type, 0);
PQC_AT(pqc_value, len, 8);
PQC_AT(pqc_value, v, 16);

PQC_SIZE(pqc_kv, 32);
PQC_AT(pqc_kv, key, 0);
PQC_AT(pqc_kv, value, 8);

PQC_SIZE(pqc_tick_def, 48);
PQC_AT(pqc_tick_def, struct_size, 0);
PQC_AT(pqc_tick_def, name, 8);
PQC_AT(pqc_tick_def, group, 16);
PQC_AT(pqc_tick_def, default_interval_ms, 24);
PQC_AT(pqc_tick_def, flags, 28);
PQC_AT(pqc_tick_def, run, 32);
PQC_AT(pqc_tick_def, user_data, 40);

PQC_SIZE(pqc_log_record, 80);
PQC_AT(pqc_log_record, struct_size, 0);
PQC_AT(pqc_log_record, ts_us, 8);
PQC_AT(pqc_log_record, level, 16);
PQC_AT(pqc_log_record, component, 24);
PQC_AT(pqc_log_record, component_len, 32);
PQC_AT(pqc_log_record, message, 40);
PQC_AT(pqc_log_record, message_len, 48);
PQC_AT(pqc_log_record, fields, 56);
PQC_AT(pqc_log_record, n_fields, 64);
PQC_AT(pqc_log_record, fingerprint, 72);

PQC_SIZE(pqc_parser_def, 56);
PQC_AT(pqc_parser_def, struct_size, 0);
PQC_AT(pqc_parser_def, name, 8);
PQC_AT(pqc_parser_def, create, 16);
PQC_AT(pqc_parser_def, parse, 24);
PQC_AT(pqc_parser_def, destroy, 32);
PQC_AT(pqc_parser_def, user_data, 40);
PQC_AT(pqc_parser_def, create_with_options, 48);

PQC_SIZE(pqc_finding, 152);
PQC_AT(pqc_finding, struct_size, 0);
PQC_AT(pqc_finding, kind, 4);
PQC_AT(pqc_finding, severity, 8);
PQC_AT(pqc_finding, key, 16);
PQC_AT(pqc_finding, domain, 24);
PQC_AT(pqc_finding, metric, 32);
PQC_AT(pqc_finding, target, 40);
PQC_AT(pqc_finding, title, 48);
PQC_AT(pqc_finding, description, 56);
PQC_AT(pqc_finding, action, 64);
PQC_AT(pqc_finding, value, 72);
PQC_AT(pqc_finding, threshold, 80);
PQC_AT(pqc_finding, z_score, 88);
PQC_AT(pqc_finding, dedup_window_secs, 96);
PQC_AT(pqc_finding, type, 104);
PQC_AT(pqc_finding, metric_key, 112);
PQC_AT(pqc_finding, context_json, 120);
PQC_AT(pqc_finding, direction, 128);
PQC_AT(pqc_finding, baseline_stddev, 136);
PQC_AT(pqc_finding, drift_pct, 144);

PQC_SIZE(pqc_analyzer_def, 40);
PQC_AT(pqc_analyzer_def, struct_size, 0);
PQC_AT(pqc_analyzer_def, name, 8);
PQC_AT(pqc_analyzer_def, group, 16);
PQC_AT(pqc_analyzer_def, run, 24);
PQC_AT(pqc_analyzer_def, user_data, 32);

PQC_SIZE(pqc_column_def, 16);
PQC_AT(pqc_column_def, name, 0);
PQC_AT(pqc_column_def, type, 8);
PQC_AT(pqc_column_def, flags, 12);

PQC_SIZE(pqc_source_def, 40);
PQC_AT(pqc_source_def, struct_size, 0);
PQC_AT(pqc_source_def, name, 8);
PQC_AT(pqc_source_def, kind, 16);
PQC_AT(pqc_source_def, target, 24);
PQC_AT(pqc_source_def, parser, 32);

PQC_SIZE(pqc_host_api, 232);
PQC_AT(pqc_host_api, struct_size, 0);
PQC_AT(pqc_host_api, abi_major, 4);
PQC_AT(pqc_host_api, abi_minor, 6);
PQC_AT(pqc_host_api, log, 8);
PQC_AT(pqc_host_api, config_get, 16);
PQC_AT(pqc_host_api, config_get_global, 24);
PQC_AT(pqc_host_api, register_tick, 32);
PQC_AT(pqc_host_api, register_parser, 40);
PQC_AT(pqc_host_api, register_analyzer, 48);
PQC_AT(pqc_host_api, table_open, 56);
PQC_AT(pqc_host_api, table_emit, 64);
PQC_AT(pqc_host_api, query, 72);
PQC_AT(pqc_host_api, result_rows, 80);
PQC_AT(pqc_host_api, result_columns, 88);
PQC_AT(pqc_host_api, result_column_name, 96);
PQC_AT(pqc_host_api, result_value, 104);
PQC_AT(pqc_host_api, result_free, 112);
PQC_AT(pqc_host_api, last_error, 120);
PQC_AT(pqc_host_api, http_get, 128);
PQC_AT(pqc_host_api, http_status, 136);
PQC_AT(pqc_host_api, http_body, 144);
PQC_AT(pqc_host_api, http_free, 152);
PQC_AT(pqc_host_api, now_us, 160);
PQC_AT(pqc_host_api, monotonic_ns, 168);
PQC_AT(pqc_host_api, local_time_to_us, 176);
PQC_AT(pqc_host_api, report, 184);
PQC_AT(pqc_host_api, register_migration, 192);
PQC_AT(pqc_host_api, register_source, 200);
PQC_AT(pqc_host_api, parse_timestamp, 208);
PQC_AT(pqc_host_api, query_readonly, 216);
PQC_AT(pqc_host_api, table_open_typed, 224);

PQC_SIZE(pqc_plugin_descriptor, 56);
PQC_AT(pqc_plugin_descriptor, struct_size, 0);
PQC_AT(pqc_plugin_descriptor, abi_major, 4);
PQC_AT(pqc_plugin_descriptor, abi_minor, 6);
PQC_AT(pqc_plugin_descriptor, name, 8);
PQC_AT(pqc_plugin_descriptor, version, 16);
PQC_AT(pqc_plugin_descriptor, description, 24);
PQC_AT(pqc_plugin_descriptor, init, 32);
PQC_AT(pqc_plugin_descriptor, shutdown, 40);
PQC_AT(pqc_plugin_descriptor, shutdown_v2, 48);

/* What a plugin built against an older minor fills (its struct_size): the
 * host reads only members below it. */
_Static_assert(offsetof(pqc_host_api, register_source) == 200, "the 1.0 table ends at register_migration (200 bytes)");
_Static_assert(offsetof(pqc_finding, type) == 104, "the 1.1 finding is 104 bytes");
_Static_assert(offsetof(pqc_plugin_descriptor, shutdown_v2) == 48, "the 1.0-1.2 descriptor is 48 bytes");
_Static_assert(offsetof(pqc_host_api, table_open_typed) == 224, "the 1.3 table ends at query_readonly (224 bytes)");
#endif

_Static_assert(offsetof(pqc_plugin_descriptor, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_host_api, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_tick_def, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_parser_def, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_analyzer_def, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_log_record, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_finding, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_source_def, struct_size) == 0, "struct_size leads");
/* Members added after 1.0 come after every 1.0 member. */
_Static_assert(offsetof(pqc_host_api, register_source) > offsetof(pqc_host_api, register_migration),
               "register_source is appended after the 1.0 table");
_Static_assert(offsetof(pqc_host_api, parse_timestamp) > offsetof(pqc_host_api, register_source),
               "parse_timestamp (1.3) is appended after register_source (1.1)");
_Static_assert(offsetof(pqc_plugin_descriptor, shutdown_v2) > offsetof(pqc_plugin_descriptor, shutdown),
               "shutdown_v2 (1.3) is appended after shutdown (1.0)");
_Static_assert(offsetof(pqc_host_api, table_open_typed) > offsetof(pqc_host_api, query_readonly),
               "table_open_typed (1.4) is appended after query_readonly (1.3)");
