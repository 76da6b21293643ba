signoff_fuzz_target(event_flatten_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/event_flatten_fuzz.cc
  DEPS signoff_patterns)
