// The service on a real (temporary) SQLite store, invoking real Python workers; the Runtime API
// listener is a fake that nobody connects to, so these functions die during init on purpose.
#include "functions/service.h"

#include <filesystem>
#include <future>

#include <gtest/gtest.h>
#include <unistd.h>

#include "functions/util.h"

namespace signoff::functions {
namespace {

struct NoListener : RuntimeListener {
  std::string address() const override { return "127.0.0.1:1"; }
};

struct NoListeners : RuntimeListenerFactory {
  std::unique_ptr<RuntimeListener> listen(RuntimeHttpHandler) override {
    return std::make_unique<NoListener>();
  }
};

class FunctionsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("signoff-functions-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = store::open_sqlite_store(dir.string());
    FunctionsOptions o;
    o.data_dir = dir.string();
    svc = std::make_unique<FunctionsService>(*store, clock, o,
                                             FunctionsPorts{nullptr, &listeners, nullptr});
  }
  void TearDown() override {
    svc->stop();
    svc.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void create(const std::string& source) {
    // Fields built as strings, not assigned from literals (g++ 12's -Wrestrict false positive).
    CreateFunctionRequest r;
    r.region = std::string("us-east-1");
    r.name = std::string("f");
    r.runtime = std::string("python3.9");
    r.handler = std::string("index.handler");
    r.role = std::string("arn:aws:iam::000000000000:role/r");
    r.source_text = source;
    auto created = svc->create_function(r);
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
  InvokeResult invoke() {
    InvokeRequest r;
    r.ref = FunctionRef{std::string("us-east-1"), std::string(), std::string("f"), std::string()};
    r.log_tail = true;
    std::promise<Result<InvokeResult>> p;
    svc->invoke(r, [&p](Result<InvokeResult> res) { p.set_value(std::move(res)); });
    auto res = p.get_future().get();
    EXPECT_TRUE(res.ok());
    return res.ok() ? *res : InvokeResult{};
  }

  std::filesystem::path dir;
  RealClock clock;
  NoListeners listeners;
  store::StorePtr store;
  std::unique_ptr<FunctionsService> svc;
};

// The server listens before FunctionsService::start() runs: an invocation in between once found
// no bootstrap.py ("Runtime exited with error: exit status 2", python3's "can't open file").
TEST_F(FunctionsServiceTest, InvokeBeforeStartRunsTheBootstrap) {
  if (::access("/usr/bin/python3", X_OK) != 0) {
    GTEST_SKIP() << "no /usr/bin/python3";
  }
  create(
      "import os, sys\n"
      "sys.stderr.write('dying during init\\n')\n"
      "os._exit(3)\n");
  InvokeResult r = invoke();
  EXPECT_TRUE(r.function_error);
  EXPECT_EQ(r.error_type, "Runtime.ExitError");
  EXPECT_NE(r.payload.find("Runtime exited with error: exit status 3"), std::string::npos)
      << r.payload;
  std::string tail = base64_decode(r.log_tail).value_or("");
  EXPECT_EQ(tail.find("can't open file"), std::string::npos) << tail;
  // What the runtime wrote to stderr before dying is in the invocation's tail, after INIT_START
  // and before the error.
  size_t init = tail.find("INIT_START");
  size_t said = tail.find("dying during init");
  size_t report = tail.find("Phase: init\tStatus: error\tError Type: Runtime.ExitError");
  size_t start = tail.find("START RequestId:", init + 1);
  size_t error = tail.find("Error: Runtime exited with error: exit status 3");
  ASSERT_NE(init, std::string::npos) << tail;
  ASSERT_NE(said, std::string::npos) << tail;
  ASSERT_NE(report, std::string::npos) << tail;
  ASSERT_NE(start, std::string::npos) << tail;
  ASSERT_NE(error, std::string::npos) << tail;
  EXPECT_LT(init, said);
  EXPECT_LT(said, report);
  EXPECT_LT(report, start);
  EXPECT_LT(start, error);
  EXPECT_EQ(tail.find("Max Memory Used: 0 MB"), std::string::npos) << tail;
}

}  // namespace
}  // namespace signoff::functions
