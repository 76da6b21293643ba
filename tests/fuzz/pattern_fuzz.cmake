signoff_fuzz_target(pattern_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/pattern_fuzz.cc
  DEPS signoff_patterns)
