// A fresh identity service on a real SQLite store in a temporary directory, with a clock the
// test moves, and a helper that signs requests the way SDKs do.
#pragma once

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "common/clock.h"
#include "iam/identity.h"
#include "iam/secret_box.h"
#include "sigv4/amz_date.h"
#include "sigv4/sigv4.h"
#include "store/store.h"

namespace signoff::iam::testing {

class ManualClock final : public Clock {
 public:
  int64_t now_ms() const override { return ms; }
  int64_t now_ns() const override { return ms * 1000000; }
  int64_t ms = 1764547200000;  // 2025-12-01T00:00:00Z
};

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "signoff-iam-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir = pattern;
    store = store::open_sqlite_store(dir);
    IdentityOptions o;
    o.account = "123456789012";
    o.master_key = master;
    identity = std::make_unique<IdentityService>(*store, clock, o);
  }
  void TearDown() override {
    identity.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  // Authenticates a signed IAM ListUsers request as the given key (token for sessions).
  Authentication call_as(const std::string& key_id, const std::string& secret,
                         const std::string& token = {}) {
    std::string date = sigv4::format_amz_date(clock.ms / 1000);
    sigv4::Request r;
    r.method = "POST";
    r.path = "/";
    r.body = "Action=ListUsers&Version=2010-05-08";
    r.headers = {{"host", "iam.amazonaws.com"}, {"x-amz-date", date}};
    std::vector<std::string_view> names = {"host", "x-amz-date"};
    if (!token.empty()) {
      r.headers.push_back({"x-amz-security-token", token});
      names.push_back("x-amz-security-token");
    }
    sigv4::SigningParams p{key_id, secret, "us-east-1", "iam", date, names};
    auth_header = sigv4::authorization_header(r, p);
    r.headers.push_back({"Authorization", auth_header});
    return identity->authenticate(r, {});
  }

  std::string dir;
  ManualClock clock;
  MasterKey master = generate_master_key();
  store::StorePtr store;
  std::unique_ptr<IdentityService> identity;
  std::string auth_header;
};

inline std::string allow(const std::string& action, const std::string& resource = "*") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")" + action +
         R"(","Resource":")" + resource + R"("}]})";
}

inline std::string deny(const std::string& action, const std::string& resource = "*") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":")" + action +
         R"(","Resource":")" + resource + R"("}]})";
}

inline std::string trust(const std::string& principal_json) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":)" + principal_json +
         R"(,"Action":"sts:AssumeRole"}]})";
}

}  // namespace signoff::iam::testing
