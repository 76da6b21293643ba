#include "console/calls.h"

#include <chrono>
#include <future>
#include <memory>

#include "api/internal_call.h"

namespace signoff::console {

std::string_view json_version(std::string_view target) {
  return target.starts_with("AWSStepFunctions.") ? "1.0" : "1.1";
}

std::string xml_text(std::string_view xml, std::string_view name) {
  // Built by append: g++ 12 warns falsely (-Wrestrict) on operator+ here.
  std::string open = "<";
  open.append(name).append(">");
  std::string close = "</";
  close.append(name).append(">");
  size_t start = xml.find(open);
  if (start == std::string_view::npos) {
    return {};
  }
  start += open.size();
  size_t end = xml.find(close, start);
  if (end == std::string_view::npos) {
    return {};
  }
  std::string_view raw = xml.substr(start, end - start);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out.push_back(raw[i]);
      continue;
    }
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool done = false;
    for (auto [entity, ch] : kEntities) {
      if (raw.substr(i, entity.size()) == entity) {
        out.push_back(ch);
        i += entity.size() - 1;
        done = true;
        break;
      }
    }
    if (!done) {
      out.push_back('&');
    }
  }
  return out;
}

Error error_of(const Answer& answer) {
  json::ParseResult p = json::parse(answer.body);
  if (p.ok() && p.value.is_object()) {
    std::string type;
    if (const json::Value* t = p.value.find("__type"); t && t->is_string()) {
      type = std::string(t->as_string());
    }
    if (size_t hash = type.rfind('#'); hash != std::string::npos) {
      type = type.substr(hash + 1);
    }
    std::string message;
    for (const char* key : {"message", "Message"}) {
      if (const json::Value* m = p.value.find(key); m && m->is_string()) {
        message = std::string(m->as_string());
      }
    }
    return Error{type.empty() ? "InternalFailure" : type, message, answer.status};
  }
  std::string code = xml_text(answer.body, "Code");
  if (!code.empty()) {
    return Error{code, xml_text(answer.body, "Message"), answer.status};
  }
  return Error{"InternalFailure", "Unexpected answer from the service", answer.status};
}

Answer Caller::call(api::HttpRequest request, const Principal& as, std::string_view remote) const {
  request.remote_address = std::string(remote);
  auto promise = std::make_shared<std::promise<Answer>>();
  auto future = promise->get_future();
  auto answered = std::make_shared<std::atomic<bool>>(false);
  router_.dispatch_as(std::move(request), as, [promise, answered](api::HttpResponse r) {
    if (answered->exchange(true)) {
      return;
    }
    Answer a;
    a.status = r.status;
    for (const api::Header& h : r.headers) {
      if (h.name == "Content-Type") {
        a.content_type = h.value;
      }
    }
    a.body = std::move(r.body);
    promise->set_value(std::move(a));
  });
  if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    return Answer{504, "application/json",
                  R"({"__type":"RequestTimeout","message":"The service did not answer in time"})"};
  }
  return future.get();
}

Result<json::Value> Caller::json(std::string_view target, const json::Value& input,
                                 const Principal& as, std::string_view remote) const {
  Answer a = call(api::json_call(target, json::dump(input), json_version(target)), as, remote);
  if (!a.ok()) {
    return error_of(a);
  }
  json::ParseResult p = json::parse(a.body.empty() ? std::string_view("{}") : a.body);
  if (!p.ok()) {
    return Error{"InternalFailure", "The service answered with invalid JSON", 500};
  }
  return p.value;
}

Result<std::string> Caller::query(std::string_view action, std::string_view version,
                                  const std::vector<std::pair<std::string, std::string>>& params,
                                  const Principal& as, std::string_view remote) const {
  Answer a = call(api::query_call(action, version, params), as, remote);
  if (!a.ok()) {
    return error_of(a);
  }
  return a.body;
}

}  // namespace signoff::console
