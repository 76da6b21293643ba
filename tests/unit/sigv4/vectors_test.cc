// Requests signed by botocore (tools/gen_sigv4_vectors.py), verified as Signoff receives them,
// then spoiled one way at a time.
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "common/json.h"
#include "sigv4/sigv4.h"

namespace signoff::sigv4 {
namespace {

struct Vector {
  std::string name, method, path, query, body, key_id, secret, signature, service, region;
  std::optional<std::string> token;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t now = 0;
  bool presigned = false;
  int64_t expires = 0;

  Request request() const {
    Request r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.body = body;
    for (const auto& [n, v] : headers) {
      r.headers.push_back({n, v});
    }
    return r;
  }
  CredentialLookup lookup(std::string secret_override = {}) const {
    Credential c{secret_override.empty() ? secret : secret_override, token, {}};
    return [id = key_id, c](std::string_view asked) -> std::optional<Credential> {
      if (asked == id) {
        return c;
      }
      return std::nullopt;
    };
  }
};

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* f = v.find(key);
  return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

std::vector<Vector> load() {
  std::ifstream in(SIGV4_VECTORS_FILE, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json::ParseResult doc = json::parse(text);
  std::vector<Vector> out;
  if (!doc.ok() || !doc.value.find("vectors")) {
    return out;
  }
  for (const json::Value& v : doc.value.find("vectors")->as_array()) {
    Vector x;
    x.name = str(v, "name");
    x.method = str(v, "method");
    x.path = str(v, "path");
    x.query = str(v, "query");
    x.body = str(v, "body");
    x.key_id = str(v, "access_key_id");
    x.secret = str(v, "secret_access_key");
    x.signature = str(v, "signature");
    x.service = str(v, "service");
    x.region = str(v, "region");
    if (v.find("session_token")->is_string()) {
      x.token = str(v, "session_token");
    }
    for (const json::Value& h : v.find("headers")->as_array()) {
      x.headers.emplace_back(h.at(0)->as_string(), h.at(1)->as_string());
    }
    x.now = v.find("now")->as_int();
    x.presigned = v.find("presigned")->as_bool();
    if (x.presigned) {
      x.expires = v.find("expires")->as_int();
    }
    out.push_back(std::move(x));
  }
  return out;
}

const std::vector<Vector>& vectors() {
  static const std::vector<Vector> v = load();
  return v;
}

// Replaces the signature (header or query) with a copy whose first hex digit differs.
std::string flip_first(std::string s, std::string_view marker) {
  const size_t at = s.find(marker);
  if (at != std::string::npos) {
    char& c = s[at + marker.size()];
    c = c == 'a' ? 'b' : 'a';
  }
  return s;
}

TEST(BotocoreVectors, Loaded) {
  EXPECT_GE(vectors().size(), 10u);
}

TEST(BotocoreVectors, EveryVectorVerifies) {
  for (const Vector& v : vectors()) {
    Options o;
    o.expected_service = v.service;
    o.expected_region = v.region;
    Verification r = verify(v.request(), v.now, v.lookup(), o);
    ASSERT_TRUE(r.ok()) << v.name << ": " << r.error().json_message << "\n"
                        << r.error().canonical_request;
    EXPECT_EQ(r.value().access_key_id, v.key_id) << v.name;
    EXPECT_EQ(r.value().session_token, v.token) << v.name;
    EXPECT_EQ(r.value().presigned, v.presigned) << v.name;
    EXPECT_EQ(r.value().service, v.service) << v.name;
  }
}

TEST(BotocoreVectors, FlippedSignatureFails) {
  for (const Vector& v : vectors()) {
    Vector w = v;
    if (w.presigned) {
      w.query = flip_first(w.query, "X-Amz-Signature=");
    } else {
      for (auto& [n, val] : w.headers) {
        if (n == "Authorization") {
          val = flip_first(val, "Signature=");
        }
      }
    }
    Verification r = verify(w.request(), w.now, w.lookup());
    ASSERT_FALSE(r.ok()) << v.name;
    EXPECT_EQ(r.error().kind, ErrorKind::SignatureMismatch) << v.name;
    EXPECT_EQ(r.error().query_code, "SignatureDoesNotMatch");
  }
}

TEST(BotocoreVectors, WrongSecretFails) {
  for (const Vector& v : vectors()) {
    Verification r = verify(v.request(), v.now, v.lookup("wrong/secret"));
    ASSERT_FALSE(r.ok()) << v.name;
    EXPECT_EQ(r.error().kind, ErrorKind::SignatureMismatch) << v.name;
  }
}

TEST(BotocoreVectors, StaleDateFails) {
  for (const Vector& v : vectors()) {
    if (v.presigned) {
      continue;
    }
    Verification r = verify(v.request(), v.now + 25 * 60, v.lookup());
    ASSERT_FALSE(r.ok()) << v.name;
    EXPECT_EQ(r.error().kind, ErrorKind::SignatureExpired) << v.name;
    EXPECT_EQ(r.error().json_message,
              "Signature expired: 20261201T000000Z is now earlier than 20261201T001000Z "
              "(20261201T002500Z - 15 min.)");
  }
}

TEST(BotocoreVectors, UnknownKeyFails) {
  for (const Vector& v : vectors()) {
    Verification r =
        verify(v.request(), v.now, [](std::string_view) { return std::optional<Credential>(); });
    ASSERT_FALSE(r.ok()) << v.name;
    EXPECT_EQ(r.error().kind, ErrorKind::UnknownAccessKey) << v.name;
    EXPECT_EQ(r.error().query_code, "InvalidClientTokenId");
  }
}

TEST(BotocoreVectors, MissingSessionTokenFails) {
  int checked = 0;
  for (const Vector& v : vectors()) {
    if (!v.token) {
      continue;
    }
    Vector w = v;
    if (w.presigned) {
      const size_t at = w.query.find("&X-Amz-Security-Token=");
      const size_t end = w.query.find('&', at + 1);
      w.query.erase(at, end - at);
    } else {
      std::erase_if(w.headers, [](const auto& h) { return h.first == "X-Amz-Security-Token"; });
    }
    Verification r = verify(w.request(), w.now, w.lookup());
    ASSERT_FALSE(r.ok()) << v.name;
    EXPECT_EQ(r.error().kind, ErrorKind::InvalidSessionToken) << v.name;
    EXPECT_EQ(r.error().json_code, "UnrecognizedClientException");
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

TEST(BotocoreVectors, ExpiredPresignFails) {
  int checked = 0;
  for (const Vector& v : vectors()) {
    if (!v.presigned) {
      continue;
    }
    EXPECT_TRUE(verify(v.request(), v.now + v.expires, v.lookup()).ok()) << v.name;
    Verification r = verify(v.request(), v.now + v.expires + 1, v.lookup());
    ASSERT_FALSE(r.ok()) << v.name;
    EXPECT_EQ(r.error().kind, ErrorKind::RequestExpired) << v.name;
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(BotocoreVectors, WrongServiceScopeFails) {
  for (const Vector& v : vectors()) {
    Options o;
    const std::string expected_service = "not-" + v.service;
    o.expected_service = expected_service;
    o.expected_region = v.region;
    Verification r = verify(v.request(), v.now, v.lookup(), o);
    ASSERT_FALSE(r.ok()) << v.name;
    EXPECT_EQ(r.error().json_message,
              "Credential should be scoped to correct service: '" + expected_service + "'. ");
  }
}

}  // namespace
}  // namespace signoff::sigv4
