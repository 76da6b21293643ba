signoff_fuzz_target(sdk_shapes_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sdk_shapes_fuzz.cc DEPS signoff_api_http)
