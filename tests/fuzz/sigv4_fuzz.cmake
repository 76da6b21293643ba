signoff_fuzz_target(sigv4_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sigv4_fuzz.cc
  DEPS signoff_sigv4)
