signoff_fuzz_target(agents_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/agents_fuzz.cc
  DEPS signoff_agents_core)
