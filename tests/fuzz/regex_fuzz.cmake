signoff_fuzz_target(regex_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/regex_fuzz.cc DEPS signoff_regex)
