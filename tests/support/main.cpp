// GoogleTest main for cptx's tests: property tests run at least 500 cases unless RC_PARAMS names
// another count. RapidCheck reads RC_PARAMS on first use, so setting it here is early enough.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* given = std::getenv("RC_PARAMS");
  std::string params = given ? given : "";
  if (params.find("max_success") == std::string::npos) params += " max_success=500";
  setenv("RC_PARAMS", params.c_str(), 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
