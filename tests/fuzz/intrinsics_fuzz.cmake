signoff_fuzz_target(intrinsics_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/intrinsics_fuzz.cc DEPS signoff_asl_expr)
