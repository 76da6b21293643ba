# Event-pattern matching on City Lots-shaped events; the file comes from SIGNOFF_CITYLOTS.
add_executable(patterns_bench patterns_bench.cc)
# -Wno-restrict: g++ 12 at -O3 falsely flags short string assignments (GCC bug 105329).
target_compile_options(patterns_bench PRIVATE ${SIGNOFF_WARNINGS} -Wno-restrict)
target_link_libraries(patterns_bench PRIVATE signoff_patterns benchmark::benchmark)
add_test(NAME patterns_bench_smoke COMMAND patterns_bench --benchmark_min_time=0.01)
