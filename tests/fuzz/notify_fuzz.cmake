signoff_fuzz_target(notify_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/notify_fuzz.cc DEPS signoff_notify_core)
