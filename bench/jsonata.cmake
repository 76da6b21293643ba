# JSONata evaluation on the reference suite's datasets, compared with the npm package jsonata by
# tools/bench_jsonata_vs_peer.sh.
add_executable(jsonata_bench jsonata_bench.cc)
# -Wno-restrict: g++ 12 at -O3 falsely flags short string assignments (GCC bug 105329).
target_compile_options(jsonata_bench PRIVATE ${SIGNOFF_WARNINGS} -Wno-restrict)
target_compile_definitions(jsonata_bench PRIVATE
  SIGNOFF_JSONATA_DATASETS="${SIGNOFF_SHARED_DIR}/conformance/jsonata/datasets"
  SIGNOFF_JSONATA_EXPRESSIONS="${CMAKE_CURRENT_SOURCE_DIR}/jsonata_expressions.json")
target_link_libraries(jsonata_bench PRIVATE signoff_jsonata benchmark::benchmark)
add_test(NAME jsonata_bench_smoke COMMAND jsonata_bench --benchmark_min_time=0.01)
