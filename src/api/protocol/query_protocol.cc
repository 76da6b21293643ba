#include "api/protocol/query_protocol.h"

#include <cstdint>
#include <map>
#include <optional>

#include "api/protocol/url.h"
#include "api/protocol/xml.h"

namespace signoff::api {
namespace {

// The element index N in "<prefix>N" or "<prefix>N.<rest>": 1-based decimal, at most 9 digits
// (AWS caps lists far lower; this only keeps the number in range).
std::optional<uint32_t> element_index(std::string_view key, std::string_view prefix,
                                      std::string_view* rest) {
  if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  std::string_view tail = key.substr(prefix.size());
  size_t digits = 0;
  uint32_t n = 0;
  while (digits < tail.size() && tail[digits] >= '0' && tail[digits] <= '9') {
    if (digits == 9) {
      return std::nullopt;
    }
    n = n * 10 + static_cast<uint32_t>(tail[digits] - '0');
    ++digits;
  }
  if (digits == 0 || n == 0 || tail[0] == '0') {
    return std::nullopt;
  }
  if (digits == tail.size()) {
    *rest = {};
    return n;
  }
  if (tail[digits] != '.' || digits + 1 == tail.size()) {
    return std::nullopt;
  }
  *rest = tail.substr(digits + 1);
  return n;
}

std::string element_prefix(std::string_view name, std::string_view member) {
  std::string prefix(name);
  prefix += '.';
  if (!member.empty()) {
    prefix += member;
    prefix += '.';
  }
  return prefix;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != prefix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

QueryParams QueryParams::parse(std::string_view form) {
  QueryParams params;
  params.entries_ = decode_form(form);
  return params;
}

void QueryParams::add(std::string key, std::string value) {
  entries_.emplace_back(std::move(key), std::move(value));
}

const std::string* QueryParams::get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) {
      return &v;
    }
  }
  return nullptr;
}

std::string QueryParams::get_or(std::string_view key, std::string_view fallback) const {
  const std::string* v = get(key);
  return v ? *v : std::string(fallback);
}

std::vector<std::string> QueryParams::list(std::string_view name, std::string_view member) const {
  std::string prefix = element_prefix(name, member);
  std::map<uint32_t, const std::string*> items;
  for (const auto& [k, v] : entries_) {
    std::string_view rest;
    auto n = element_index(k, prefix, &rest);
    if (n && rest.empty()) {
      items.emplace(*n, &v);  // a repeated index keeps its first value
    }
  }
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& [n, v] : items) {
    out.push_back(*v);
  }
  return out;
}

std::vector<QueryParams> QueryParams::structs(std::string_view name,
                                              std::string_view member) const {
  std::string prefix = element_prefix(name, member);
  std::map<uint32_t, QueryParams> items;
  for (const auto& [k, v] : entries_) {
    std::string_view rest;
    auto n = element_index(k, prefix, &rest);
    if (n && !rest.empty()) {
      items[*n].add(std::string(rest), v);
    }
  }
  std::vector<QueryParams> out;
  out.reserve(items.size());
  for (auto& [n, p] : items) {
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> QueryParams::map(std::string_view name,
                                                                  std::string_view key,
                                                                  std::string_view value) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const QueryParams& entry : structs(name, "entry")) {
    const std::string* k = entry.get(key);
    if (k != nullptr) {
      out.emplace_back(*k, entry.get_or(value));
    }
  }
  return out;
}

QueryParams query_request_params(const HttpRequest& request) {
  QueryParams params = QueryParams::parse(request.query);
  const std::string* type = request.header("Content-Type");
  bool form =
      type ? starts_with_ci(*type, "application/x-www-form-urlencoded") : !request.body.empty();
  if (form) {
    for (auto& [k, v] : decode_form(request.body)) {
      params.add(std::move(k), std::move(v));
    }
  }
  return params;
}

HttpResponse query_response(std::string_view action, std::string_view xmlns,
                            std::string_view result_xml, std::string_view request_id) {
  std::string response_tag(action);
  response_tag += "Response";
  std::string result_tag(action);
  result_tag += "Result";
  XmlWriter xml;
  xml.open(response_tag, xmlns)
      .open(result_tag)
      .raw(result_xml)
      .close()
      .open("ResponseMetadata")
      .element("RequestId", request_id);
  HttpResponse response;
  response.body = "<?xml version=\"1.0\"?>" + xml.finish();
  response.set_header("Content-Type", "text/xml");
  response.set_header("x-amzn-RequestId", request_id);
  return response;
}

std::string_view query_namespace(std::string_view service) {
  if (service == "sns") {
    return "http://sns.amazonaws.com/doc/2010-03-31/";
  }
  if (service == "iam") {
    return "https://iam.amazonaws.com/doc/2010-05-08/";
  }
  if (service == "sts") {
    return "https://sts.amazonaws.com/doc/2011-06-15/";
  }
  if (service == "cloudformation") {
    return "http://cloudformation.amazonaws.com/doc/2010-05-15/";
  }
  return {};
}

}  // namespace signoff::api
