signoff_fuzz_target(mail_read_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/mail_read_fuzz.cc DEPS signoff_notify_core)
