#include "kselftest_harness.h"
TEST(placeholder) { ASSERT_EQ(1, 1); }
TEST_HARNESS_MAIN
