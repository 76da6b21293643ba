// The functions Step Functions adds to JSONata, as its documentation describes them: $partition,
// $range, $hash, $random with an optional seed, $uuid and $parse; $eval is not available.
#include <cmath>
#include <limits>

#include <openssl/evp.h>

#include "asl/jsonata_template.h"

namespace signoff::asl {

double StepHost::random() {
  return static_cast<double>(next_u64() >> 11) / 9007199254740992.0;
}

uint64_t StepHost::next_u64() {
  if (entropy_ != nullptr) {
    return entropy_->next_u64();
  }
  SeededEntropy e(fallback_++);
  return e.next_u64();
}

namespace {

using jsonata::Result;
using Args = std::vector<const json::Value*>;

// AWS's $range refuses, before allocating, a range longer than this (measured on AWS).
constexpr double kMaxRangeLength = 360145;

Result value(json::Value v) {
  Result r;
  r.ok = true;
  r.value = std::move(v);
  return r;
}

Result undefined() {
  Result r;
  r.ok = true;
  r.undefined = true;
  return r;
}

Result error(std::string code, std::string message) {
  Result r;
  r.error.code = std::move(code);
  r.error.message = std::move(message);
  return r;
}

const json::Value* arg(const Args& a, size_t i) {
  return i < a.size() ? a[i] : nullptr;
}

// Non-integer arguments are truncated towards zero, as AWS does.
std::optional<int64_t> integer(const json::Value* v) {
  if (v == nullptr || !v->is_number() || !std::isfinite(v->as_double())) {
    return std::nullopt;
  }
  double d = std::trunc(v->as_double());
  if (std::fabs(d) > 9.0e15) {
    return std::nullopt;
  }
  return static_cast<int64_t>(d);
}

Result fn_partition(const Args& a, jsonata::Host&) {
  const json::Value* items = arg(a, 0);
  auto size = integer(arg(a, 1));
  if (items == nullptr || !items->is_array() || items->size() == 0 || !size || *size <= 0) {
    return undefined();
  }
  std::vector<json::Value> chunks;
  std::vector<json::Value> chunk;
  for (const json::Value& item : items->as_array()) {
    chunk.push_back(item);
    if (static_cast<int64_t>(chunk.size()) == *size) {
      chunks.push_back(json::Value::array(std::move(chunk)));
      chunk.clear();
    }
  }
  if (!chunk.empty()) {
    chunks.push_back(json::Value::array(std::move(chunk)));
  }
  return value(json::Value::array(std::move(chunks)));
}

Result fn_range(const Args& a, jsonata::Host&) {
  auto start = integer(arg(a, 0));
  auto end = integer(arg(a, 1));
  auto step = integer(arg(a, 2));
  if (!start || !end || !step || *step == 0 || (*end > *start && *step < 0) ||
      (*end<*start&& * step> 0)) {
    return undefined();
  }
  double count = std::floor(static_cast<double>(*end - *start) / static_cast<double>(*step)) + 1;
  if (count > kMaxRangeLength) {
    return error("U1001", "Expression evaluation memory limit exceeded");
  }
  std::vector<json::Value> out;
  out.reserve(static_cast<size_t>(count));
  for (int64_t v = *start; *step > 0 ? v <= *end : v >= *end; v += *step) {
    out.emplace_back(v);
  }
  // A one-element range is the bare number, as JSONata's sequences collapse.
  if (out.size() == 1) {
    return value(out[0]);
  }
  return value(json::Value::array(std::move(out)));
}

Result fn_hash(const Args& a, jsonata::Host&) {
  const json::Value* data = arg(a, 0);
  const json::Value* algorithm = arg(a, 1);
  if (data == nullptr || algorithm == nullptr) {
    return undefined();
  }
  std::string_view alg = algorithm->as_string();
  const EVP_MD* md = nullptr;
  if (alg == "MD5") {
    md = EVP_md5();
  } else if (alg == "SHA-1") {
    md = EVP_sha1();
  } else if (alg == "SHA-256") {
    md = EVP_sha256();
  } else if (alg == "SHA-384") {
    md = EVP_sha384();
  } else if (alg == "SHA-512") {
    md = EVP_sha512();
  } else {
    return error("D3137", "The hashing algorithm '" + std::string(alg) +
                              "' is not supported. Supported algorithms: MD5, SHA-1, SHA-256, "
                              "SHA-384, SHA-512");
  }
  std::string_view text = data->as_string();
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(text.data(), text.size(), buf, &n, md, nullptr) != 1) {
    return undefined();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kHex[buf[i] >> 4]);
    out.push_back(kHex[buf[i] & 15]);
  }
  return value(json::Value(out));
}

Result fn_random(const Args& a, jsonata::Host& host) {
  if (auto seed = integer(arg(a, 0))) {
    // A seed gives the same number every time, whatever the execution.
    SeededEntropy e(static_cast<uint64_t>(*seed));
    return value(json::Value(static_cast<double>(e.next_u64() >> 11) / 9007199254740992.0));
  }
  return value(json::Value(host.random()));
}

Result fn_uuid(const Args&, jsonata::Host& host) {
  auto* step = dynamic_cast<StepHost*>(&host);
  auto bits = [&]() -> uint64_t {
    if (step != nullptr) {
      return step->next_u64();
    }
    return static_cast<uint64_t>(host.random() * 18446744073709551616.0);
  };
  uint64_t hi = bits();
  uint64_t lo = bits();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                         // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // IETF variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 15; i >= 0; --i) {
    out.push_back(kHex[(hi >> (i * 4)) & 15]);
    if (i == 8 || i == 4) {
      out.push_back('-');
    }
  }
  out.push_back('-');
  for (int i = 15; i >= 0; --i) {
    out.push_back(kHex[(lo >> (i * 4)) & 15]);
    if (i == 12) {
      out.push_back('-');
    }
  }
  return value(json::Value(out));
}

// Negative zero has no JSON spelling of its own in AWS's output: "-0" parses to 0.
json::Value normalize_zero(json::Value v) {
  if (v.is_double() && v.as_double() == 0) {
    return json::Value(int64_t{0});
  }
  if (v.is_array()) {
    for (json::Value& item : v.mutable_array()) {
      item = normalize_zero(std::move(item));
    }
  } else if (v.is_object()) {
    for (json::Member& m : v.mutable_object()) {
      m.value = normalize_zero(std::move(m.value));
    }
  }
  return v;
}

Result fn_parse(const Args& a, jsonata::Host&) {
  const json::Value* text = arg(a, 0);
  if (text == nullptr) {
    return undefined();
  }
  json::ParseResult r = json::parse(text->as_string());
  if (!r.ok()) {
    return error("D3140", "Unable to parse JSON: " + r.error);
  }
  return value(normalize_zero(std::move(r.value)));
}

}  // namespace

const jsonata::Library& step_functions_library() {
  static const jsonata::Library library(
      {
          {"partition", "<an:a>", fn_partition},
          {"range", "<nnn?:a>", fn_range},
          {"hash", "<s-s?:s>", fn_hash},
          {"random", "<n?:n>", fn_random},
          {"uuid", "<:s>", fn_uuid},
          {"parse", "<s-:x>", fn_parse},
      },
      {"eval"});
  return library;
}

}  // namespace signoff::asl
