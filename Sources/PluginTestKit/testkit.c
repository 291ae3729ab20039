/* The test kit's one implementation, for Swift tests (`import PluginTestKit`);
 * C tests define PQC_TESTKIT_IMPLEMENTATION in one of their own files instead. */
#define PQC_TESTKIT_IMPLEMENTATION
#include "pqcrypta_plugin_testkit.h"
