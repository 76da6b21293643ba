signoff_fuzz_target(router_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/router_fuzz.cc DEPS signoff_api_http)
