signoff_fuzz_target(asl_definition_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/asl_definition_fuzz.cc
  DEPS signoff_asl)
