/* Compile-time guards on the ABI's layout: a change that moves a member of a
 * published struct breaks every plugin built before it, so it must fail here. */
#include "pqcrypta_plugin.h"

_Static_assert(offsetof(pqc_plugin_descriptor, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_host_api, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_tick_def, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_parser_def, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_analyzer_def, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_log_record, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_finding, struct_size) == 0, "struct_size leads");
_Static_assert(offsetof(pqc_source_def, struct_size) == 0, "struct_size leads");
_Static_assert(sizeof(pqc_value) == 24, "pqc_value is 24 bytes on LP64");
/* 1.1 members come after every 1.0 member. */
_Static_assert(offsetof(pqc_host_api, register_source) > offsetof(pqc_host_api, register_migration),
               "register_source is appended after the 1.0 table");
