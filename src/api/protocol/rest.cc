#include "api/protocol/rest.h"

#include "api/protocol/url.h"

namespace signoff::api {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return parts;
}

}  // namespace

std::optional<PathTemplate> PathTemplate::compile(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    return std::nullopt;
  }
  PathTemplate t;
  t.pattern_ = std::string(pattern);
  std::vector<std::string_view> parts = split_path(pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    Segment segment;
    if (!part.empty() && part.front() == '{') {
      if (part.size() < 3 || part.back() != '}') {
        return std::nullopt;
      }
      std::string_view name = part.substr(1, part.size() - 2);
      if (name.back() == '+') {
        if (i + 1 != parts.size() || name.size() < 2) {
          return std::nullopt;
        }
        segment.greedy = true;
        name.remove_suffix(1);
      }
      if (name.find_first_of("{}/") != std::string_view::npos) {
        return std::nullopt;
      }
      segment.label = true;
      segment.text = std::string(name);
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        return std::nullopt;
      }
      segment.text = std::string(part);
    }
    t.segments_.push_back(std::move(segment));
  }
  return t;
}

bool PathTemplate::match(std::string_view encoded_path, PathLabels& labels) const {
  labels.clear();
  std::vector<std::string_view> parts = split_path(encoded_path);
  // SDKs disagree on a trailing slash (botocore 1.29 sends "/2015-03-31/functions/", 1.43 not).
  if (parts.size() == segments_.size() + 1 && parts.back().empty()) {
    parts.pop_back();
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = segments_[i];
    if (i >= parts.size()) {
      return false;
    }
    if (segment.greedy) {
      std::string rest;
      for (size_t k = i; k < parts.size(); ++k) {
        if (k > i) {
          rest += '/';
        }
        rest += parts[k];
      }
      if (rest.empty()) {
        return false;
      }
      labels.emplace_back(segment.text, percent_decode(rest, false));
      return true;
    }
    if (segment.label) {
      if (parts[i].empty()) {
        return false;  // AWS rejects empty labels; so does the route
      }
      labels.emplace_back(segment.text, percent_decode(parts[i], false));
    } else if (percent_decode(parts[i], false) != segment.text) {
      return false;
    }
  }
  return parts.size() == segments_.size();
}

const std::string* RestRequest::label(std::string_view name) const {
  for (const auto& [k, v] : labels) {
    if (k == name) {
      return &v;
    }
  }
  return nullptr;
}

RestResponse RestResponse::json(const json::Value& value, int status) {
  RestResponse r;
  r.status = status;
  r.headers.push_back(Header{"Content-Type", "application/json"});
  r.body = json::dump(value);
  return r;
}

}  // namespace signoff::api
