# Store write throughput: threads applying small transitions through group commit, on a temporary
# directory (TMPDIR, else /tmp) so it measures the real disk's fsync.
add_executable(store_bench store_bench.cc)
target_compile_options(store_bench PRIVATE ${SIGNOFF_WARNINGS})
target_link_libraries(store_bench PRIVATE signoff_store benchmark::benchmark)
add_test(NAME store_bench_smoke COMMAND store_bench --benchmark_min_time=0.01)
