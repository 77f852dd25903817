// Properties run at least 500 cases unless RC_PARAMS says otherwise. RapidCheck reads RC_PARAMS on
// first use, after static initialisation, so setting it here is early enough.
#include <cstdlib>

namespace {
const bool rc_defaults_set = [] { return ::setenv("RC_PARAMS", "max_success=500", 0) == 0; }();
}  // namespace
