// Parameter Store on a real (temporary) SQLite store with a reversible test sealer: name rules
// (data-driven), versions, selectors, tiers, paths, filters, pagination and sealing.
#include "automation/parameter_store.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

namespace signoff::automation {
namespace {

class TestClock final : public Clock {
 public:
  int64_t now_ms() const override { return ms; }
  int64_t now_ns() const override { return ms * 1'000'000; }
  int64_t ms = 1796110341000;
};

// Not a cipher: enough to see that values reach the store sealed and come back opened.
class TestSealer final : public SecretSealer {
 public:
  std::string seal(std::string_view p) const override { return "sealed:" + std::string(p); }
  std::optional<std::string> open(std::string_view s) const override {
    if (s.rfind("sealed:", 0) != 0) {
      return std::nullopt;
    }
    return std::string(s.substr(7));
  }
};

struct NameCase {
  const char* name;
  const char* error_type;  // "" when the name is valid
};

class ParameterNames : public ::testing::TestWithParam<NameCase> {};

TEST_P(ParameterNames, FollowAwsRules) {
  auto e = check_parameter_name(GetParam().name);
  if (std::string(GetParam().error_type).empty()) {
    EXPECT_FALSE(e) << e->message;
  } else {
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, GetParam().error_type);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ParameterNames,
                         ::testing::Values(NameCase{"plain", ""}, NameCase{"/a/b/c", ""},
                                           NameCase{"/a-b_c.d", ""},
                                           NameCase{"", "ValidationException"},
                                           NameCase{"a/b", "ValidationException"},
                                           NameCase{"/a//b", "ValidationException"},
                                           NameCase{"/a/b/", "ValidationException"},
                                           NameCase{"/", "ValidationException"},
                                           NameCase{"awsname", "ValidationException"},
                                           NameCase{"/SSM/x", "ValidationException"},
                                           NameCase{"/a b", "ValidationException"},
                                           NameCase{"/a$", "ValidationException"},
                                           NameCase{"/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15", ""},
                                           NameCase{"/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16",
                                                    "HierarchyLevelLimitExceededException"}));

class ParameterStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("signoff-param-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = store::open_sqlite_store(dir.string());
    ps = std::make_unique<ParameterStore>(*store, clock, sealer, ParameterOptions{});
  }
  void TearDown() override {
    ps.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  Result<json::Value> put(const std::string& name, const std::string& value,
                          std::optional<std::string> type = "String", bool overwrite = false) {
    PutParameterRequest r;
    r.name = name;
    r.value = value;
    r.type = std::move(type);
    r.overwrite = overwrite;
    return ps->put(r, "arn:aws:iam::000000000000:user/alice");
  }

  std::vector<std::string> names(const json::Value& listing) {
    std::vector<std::string> out;
    for (const json::Value& p : listing.find("Parameters")->as_array()) {
      out.emplace_back(p.find("Name")->as_string());
    }
    return out;
  }

  std::filesystem::path dir;
  TestClock clock;
  TestSealer sealer;
  store::StorePtr store;
  std::unique_ptr<ParameterStore> ps;
};

TEST_F(ParameterStoreTest, VersionsAndSelectors) {
  ASSERT_TRUE(put("/x", "one").ok());
  EXPECT_EQ(put("/x", "again").error().type, "ParameterAlreadyExists");
  clock.ms += 1000;
  auto v2 = put("/x", "two", std::nullopt, true);
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v2->find("Version")->as_int(), 2);
  auto latest = ps->get("/x", false);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->find("Parameter")->find("Value")->as_string(), "two");
  EXPECT_EQ(latest->find("Parameter")->find("Type")->as_string(), "String");  // kept
  auto first = ps->get("/x:1", false);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->find("Parameter")->find("Value")->as_string(), "one");
  EXPECT_EQ(first->find("Parameter")->find("Selector")->as_string(), ":1");
  EXPECT_EQ(ps->get("/x:9", false).error().type, "ParameterVersionNotFound");
  EXPECT_EQ(ps->get("/y", false).error().type, "ParameterNotFound");
  EXPECT_EQ(ps->get("/y", false).error().message, "");
  // By ARN, as SDKs may pass it.
  EXPECT_TRUE(ps->get("arn:aws:ssm:us-east-1:000000000000:parameter/x", false).ok());
}

TEST_F(ParameterStoreTest, KeepsAtMostOneHundredVersions) {
  ASSERT_TRUE(put("/v", "0").ok());
  for (int i = 1; i < 105; ++i) {
    ASSERT_TRUE(put("/v", std::to_string(i), std::nullopt, true).ok());
  }
  ParameterPageRequest page;
  page.max_results = 50;
  size_t seen = 0;
  int64_t first_version = 0;
  while (true) {
    auto h = ps->history("/v", false, page);
    ASSERT_TRUE(h.ok());
    if (seen == 0) {
      first_version = h->find("Parameters")->at(0)->find("Version")->as_int();
    }
    seen += h->find("Parameters")->size();
    const json::Value* next = h->find("NextToken");
    if (next == nullptr) {
      break;
    }
    page.next_token = std::string(next->as_string());
  }
  EXPECT_EQ(seen, 100u);
  EXPECT_EQ(first_version, 6);
}

TEST_F(ParameterStoreTest, SecureStringIsSealed) {
  ASSERT_TRUE(put("/s", "pw", "SecureString").ok());
  auto rec = store->get_document("ssm.parameter", "/s");
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->json.find("\"pw\""), std::string::npos);
  EXPECT_EQ(ps->get("/s", false)->find("Parameter")->find("Value")->as_string(), "sealed:pw");
  EXPECT_EQ(ps->get("/s", true)->find("Parameter")->find("Value")->as_string(), "pw");
  EXPECT_EQ(ps->resolve("/s")->value, "pw");
  EXPECT_EQ(put("/k", "v", "String").ok(), true);
  PutParameterRequest bad;
  bad.name = "/k2";
  bad.value = "v";
  bad.type = "String";
  bad.key_id = "alias/mine";
  EXPECT_EQ(ps->put(bad, "").error().type, "ValidationException");
}

TEST_F(ParameterStoreTest, TiersAndPatterns) {
  std::string big(5000, 'x');
  EXPECT_EQ(put("/big", big).error().type, "ValidationException");
  PutParameterRequest r;
  r.name = "/big";
  r.value = big;
  r.type = "String";
  r.tier = "Intelligent-Tiering";
  auto done = ps->put(r, "");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->find("Tier")->as_string(), "Advanced");
  r.value = "small";
  r.tier = "Standard";
  r.overwrite = true;
  EXPECT_EQ(ps->put(r, "").error().type, "ValidationException");  // no downgrade

  PutParameterRequest p;
  p.name = "/port";
  p.value = "80a";
  p.type = "String";
  p.allowed_pattern = "^[0-9]+$";
  EXPECT_EQ(ps->put(p, "").error().type, "ParameterPatternMismatchException");
  p.allowed_pattern = "([";
  EXPECT_EQ(ps->put(p, "").error().type, "ValidationException");
  p.allowed_pattern = "^[0-9a-z]+$";
  EXPECT_TRUE(ps->put(p, "").ok());
  // The pattern is kept by a new version that does not name one, and still applies.
  PutParameterRequest again;
  again.name = "/port";
  again.value = "NOT-LOWER";
  again.overwrite = true;
  EXPECT_EQ(ps->put(again, "").error().type, "ParameterPatternMismatchException");
  again.value = "8080";
  EXPECT_TRUE(ps->put(again, "").ok());
}

TEST_F(ParameterStoreTest, PathsFiltersAndPages) {
  for (const char* n : {"/a/1", "/a/2", "/a/3", "/a/b/4", "/ab/5", "root"}) {
    ASSERT_TRUE(put(n, "v").ok());
  }
  ASSERT_TRUE(put("/a/list", "x,y", "StringList").ok());
  ParameterPageRequest page;
  page.max_results = 10;
  auto one = ps->get_by_path("/a", false, false, {}, page);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(names(*one), (std::vector<std::string>{"/a/1", "/a/2", "/a/3", "/a/list"}));
  auto all = ps->get_by_path("/a/", true, false, {}, page);
  EXPECT_EQ(names(*all), (std::vector<std::string>{"/a/1", "/a/2", "/a/3", "/a/b/4", "/a/list"}));
  auto root = ps->get_by_path("/", false, false, {}, page);
  EXPECT_EQ(names(*root), (std::vector<std::string>{"root"}));
  auto lists = ps->get_by_path("/a", true, false, {{"Type", "Equals", {"StringList"}}}, page);
  EXPECT_EQ(names(*lists), (std::vector<std::string>{"/a/list"}));
  EXPECT_EQ(ps->get_by_path("a", false, false, {}, page).error().type, "ValidationException");

  page.max_results = 2;
  std::vector<std::string> paged;
  while (true) {
    auto r = ps->get_by_path("/a", true, false, {}, page);
    ASSERT_TRUE(r.ok());
    for (const std::string& n : names(*r)) {
      paged.push_back(n);
    }
    const json::Value* next = r->find("NextToken");
    if (next == nullptr) {
      break;
    }
    page.next_token = std::string(next->as_string());
  }
  EXPECT_EQ(paged, (std::vector<std::string>{"/a/1", "/a/2", "/a/3", "/a/b/4", "/a/list"}));

  ParameterPageRequest dp;
  dp.max_results = 50;
  auto begins = ps->describe({{"Name", "BeginsWith", {"/a/"}}}, dp);
  EXPECT_EQ(names(*begins).size(), 5u);
  auto one_level = ps->describe({{"Path", "OneLevel", {"/a"}}}, dp);
  EXPECT_EQ(names(*one_level).size(), 4u);
  auto plain = ps->describe({{"Name", "Equals", {"root"}}}, dp);
  EXPECT_EQ(names(*plain), (std::vector<std::string>{"root"}));
  EXPECT_EQ(plain->find("Parameters")->at(0)->find("LastModifiedUser")->as_string(),
            "arn:aws:iam::000000000000:user/alice");

  auto many = ps->get_many({"/a/1", "/nope", "/a/1"}, false);
  EXPECT_EQ(many->find("Parameters")->size(), 1u);
  EXPECT_EQ(many->find("InvalidParameters")->size(), 1u);
  auto removed = ps->remove_many({"/a/1", "/nope"});
  EXPECT_EQ(removed->find("DeletedParameters")->size(), 1u);
  EXPECT_EQ(ps->remove("/a/1").error().type, "ParameterNotFound");
}

}  // namespace
}  // namespace signoff::automation
