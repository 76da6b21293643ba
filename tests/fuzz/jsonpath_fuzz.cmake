signoff_fuzz_target(jsonpath_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/jsonpath_fuzz.cc DEPS signoff_asl_expr)
