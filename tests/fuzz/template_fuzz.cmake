signoff_fuzz_target(template_fuzz SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/template_fuzz.cc
  DEPS signoff_deploy_template)
