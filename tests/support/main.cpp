// GoogleTest main for cptx's tests: property tests run at least 500 cases unless RC_PARAMS names
// another count. RapidCheck reads RC_PARAMS on first use, so setting it here is early enough. A
// written checkpoint that reads back with a change no codec declares is an error in every test,
// in this process and in the cptx commands it runs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* given = std::getenv("RC_PARAMS");
  std::string params = given ? given : "";
  if (params.find("max_success") == std::string::npos) params += " max_success=500";
  setenv("RC_PARAMS", params.c_str(), 1);
  setenv("CPTX_UNDECLARED_CHANGES", "fatal", 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
