signoff_fuzz_target(iam_policy_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/iam_policy_fuzz.cc
  DEPS signoff_policy)
