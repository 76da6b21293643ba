signoff_fuzz_target(jsonata_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/jsonata_fuzz.cc DEPS signoff_jsonata)
