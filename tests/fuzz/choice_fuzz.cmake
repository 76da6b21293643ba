signoff_fuzz_target(choice_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/choice_fuzz.cc
  DEPS signoff_asl_expr)
