#include "oracles/guest_records.hpp"

#include <gtest/gtest.h>

#include "oracles/judge.hpp"

namespace cptx::oracle {
namespace {

using Records = std::vector<std::string>;

const std::string watchdog =
    "clocksource: timekeeping watchdog on CPU0: Marking clocksource 'tsc-early' as unstable because the skew is "
    "too large:\r\n"
    "clocksource:                       'refined-jiffies' wd_nsec: 480030000 wd_now: fffedc08 wd_last: fffedb90\r\n"
    "tsc: Marking TSC unstable due to clocksource watchdog\r\n";

TEST(GuestRecords, LinesOfTheKernelAreNotRecords) {
  EXPECT_EQ(guest_records("Run /init as init process\r\nGUEST: boot complete\r\n" + watchdog +
                          "GUEST: step 5 hash 0123456789abcdef\r\nGUEST: done hash 0123456789abcdef\r\n"),
            (Records{"GUEST: boot complete", "GUEST: step 5 hash 0123456789abcdef", "GUEST: done hash 0123456789abcdef"}));
}

// As seen after a gem5 checkpoint resumed in QEMU: the message came between the record and its CR LF.
TEST(GuestRecords, AMessageBeforeTheEndOfTheLineIsNotPartOfTheRecord) {
  EXPECT_EQ(guest_records("GUEST: step 35 hash 2689304e8e1f4871" + watchdog +
                          "\r\nGUEST: step 40 hash 3de4b5e9aeeb85ed\r\n"),
            (Records{"GUEST: step 35 hash 2689304e8e1f4871", "GUEST: step 40 hash 3de4b5e9aeeb85ed"}));
}

// "clocksource" begins with a hex digit: the cut is not where the record stops looking like one.
TEST(GuestRecords, ARecordCutInsideItsHashIsPutBackTogether) {
  EXPECT_EQ(guest_records("GUEST: step 35 hash 2689" + watchdog + "304e8e1f4871\r\nGUEST: step 40 hash 3de4b5e9aeeb85ed\r\n"),
            (Records{"GUEST: step 35 hash 2689304e8e1f4871", "GUEST: step 40 hash 3de4b5e9aeeb85ed"}));
}

TEST(GuestRecords, ARecordCutInsideItsStepNumberIsPutBackTogether) {
  EXPECT_EQ(guest_records("GUEST: step 3" + watchdog + "5 hash 2689304e8e1f4871\r\n"),
            (Records{"GUEST: step 35 hash 2689304e8e1f4871"}));
}

TEST(GuestRecords, ARecordCutTwiceIsPutBackTogether) {
  EXPECT_EQ(guest_records("GUEST: step 35 ha" + watchdog + "sh 2689304e" + watchdog + "8e1f4871\r\n"),
            (Records{"GUEST: step 35 hash 2689304e8e1f4871"}));
}

// A QEMU save can fall inside a record: the restored machine prints the rest.
TEST(GuestRecords, ARecordSplitBySaveAndRestoreIsOneRecord) {
  const std::string before = "GUEST: step 35 hash 2689", after = "304e8e1f4871\r\n";
  EXPECT_EQ(guest_records(before + after), (Records{"GUEST: step 35 hash 2689304e8e1f4871"}));
}

// The rest of a record comes before the next record starts; what never comes is shown as it was.
TEST(GuestRecords, ARecordThatIsNeverFinishedIsKeptAsItsLine) {
  const auto r = guest_records("GUEST: step 35 hash 2689" + watchdog +
                               "GUEST: step 40 hash 3de4b5e9aeeb85ed\r\n304e8e1f4871\r\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], "GUEST: step 35 hash 2689" + watchdog.substr(0, watchdog.find('\r')));
  EXPECT_FALSE(is_guest_record(r[0]));
  EXPECT_TRUE(is_guest_record(r[1]));
  EXPECT_FALSE(judge_hash_chain("", "GUEST: step 35 hash 2689" + watchdog + "GUEST: done hash 3de4b5e9aeeb85ed\r\n",
                                "3de4b5e9aeeb85ed")
                   .passed());
}

TEST(GuestRecords, OnlyTheGuestsFormsAreRecords) {
  for (const char* s : {"GUEST: step 5 hash 0123456789abcdef", "GUEST: done hash ffffffffffffffff", "GUEST: boot complete"})
    EXPECT_TRUE(is_guest_record(s)) << s;
  for (const char* s : {"GUEST: step hash 0123456789abcdef", "GUEST: step 5 hash 0123456789abcde",
                        "GUEST: step 5 hash 0123456789abcdef0", "GUEST: done hash 0123456789ABCDEF",
                        "GUEST: boot complete!", "GUEST: ", "step 5 hash 0123456789abcdef"})
    EXPECT_FALSE(is_guest_record(s)) << s;
}

}  // namespace
}  // namespace cptx::oracle
