// Every property in these binaries runs at least 500 cases. RapidCheck reads RC_PARAMS once, on first
// use, so setting it before main is enough; an explicit RC_PARAMS from the caller still wins.
#include <cstdlib>
#include <string>

namespace {
const bool kParamsSet = [] {
  const char* given = std::getenv("RC_PARAMS");
  std::string params = given != nullptr ? given : "";
  if (params.find("max_success") == std::string::npos) params += " max_success=500";
  return ::setenv("RC_PARAMS", params.c_str(), 1) == 0;
}();
}  // namespace
