// Small helpers shared by the service's files: ids, times, ARNs, page tokens, errors.
#include <cstdio>
#include <ctime>

#include "bus/service_impl.h"

namespace signoff::bus {

std::string EventsService::Impl::uuid() {
  uint64_t a = 0;
  uint64_t b = 0;
  {
    std::lock_guard lock(rng_mu);
    a = rng();
    b = rng();
  }
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

double EventsService::Impl::jitter() {
  std::lock_guard lock(rng_mu);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string EventsService::Impl::arn_prefix() const {
  return "arn:aws:events:" + opts.region + ":" + opts.account + ":";
}

std::string EventsService::Impl::bus_arn(const std::string& name) const {
  return arn_prefix() + "event-bus/" + name;
}

std::string EventsService::Impl::rule_arn(const std::string& bus, const std::string& rule) const {
  // As AWS: rules of the default bus have no bus segment.
  return arn_prefix() + (bus == "default" ? "rule/" + rule : "rule/" + bus + "/" + rule);
}

std::string iso_time(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string bus_name_of(const std::string& name_or_arn) {
  if (name_or_arn.empty()) {
    return "default";
  }
  if (name_or_arn.rfind("arn:", 0) == 0) {
    size_t slash = name_or_arn.find("event-bus/");
    return slash == std::string::npos ? name_or_arn : name_or_arn.substr(slash + 10);
  }
  return name_or_arn;
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  while (i + 2 < in.size()) {
    uint32_t n =
        (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
    i += 3;
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

Error rule_not_found(const std::string& rule, const std::string& bus) {
  return make_error("ResourceNotFoundException",
                    "Rule " + rule + " does not exist on EventBus " + bus + ".");
}

Error bus_not_found(const std::string& bus) {
  return make_error("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
}

// Page tokens wrap the store's keys so clients cannot mistake them for anything else.
std::string wrap_token(const std::string& key) {
  return key.empty() ? "" : "eb1." + key;
}

std::optional<std::string> unwrap_token(const std::string& token) {
  if (token.empty()) {
    return std::string();
  }
  if (token.rfind("eb1.", 0) != 0) {
    return std::nullopt;
  }
  return token.substr(4);
}

Error bad_token() {
  return make_error("ValidationException", "The NextToken provided is invalid.");
}

std::string sget(const json::Value& obj, std::string_view key) {
  const json::Value* v = obj.find(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace signoff::bus
