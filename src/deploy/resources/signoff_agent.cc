// Signoff::Agents::Agent (Signoff's own type): an agent approver through the agents service.
// Properties are CreateAgent's; Ref is the agent's name, Arn its ARN. A new AgentName or Kind
// replaces it; anything else is updated in place.
#include <cstdlib>

#include "agents/service.h"
#include "deploy/resources/resources.h"

namespace signoff::deploy {

namespace {

// CloudFormation hands parameters (Type: Number) over as strings; the API wants numbers.
json::Value number_if_text(const json::Value& v) {
  if (!v.is_string() || v.as_string().empty()) {
    return v;
  }
  std::string s(v.as_string());
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) {
    return v;
  }
  if (s.find_first_of(".eE") == std::string::npos) {
    return json::Value(static_cast<int64_t>(d));
  }
  return json::Value(d);
}

json::Value request_of(const json::Value& props) {
  json::Value r = props;
  for (const char* k : {"MinConfidence", "MaxDecisionsPerHour", "MaxTokensPerDay"}) {
    if (const json::Value* v = r.find(k)) {
      r.set(k, number_if_text(*v));
    }
  }
  if (const json::Value* m = r.find("Model"); m && m->is_object()) {
    json::Value model = *m;
    for (const char* k : {"TimeoutSeconds", "MaxTokens"}) {
      if (const json::Value* v = model.find(k)) {
        model.set(k, number_if_text(*v));
      }
    }
    r.set("Model", model);
  }
  if (const json::Value* p = r.find("Policy"); p && p->is_object() && p->find("Rules")) {
    json::Value policy = *p;
    json::Value rules = *p->find("Rules");
    if (rules.is_array()) {
      for (json::Value& rule : rules.mutable_array()) {
        if (const json::Value* c = rule.is_object() ? rule.find("Confidence") : nullptr) {
          rule.set("Confidence", number_if_text(*c));
        }
      }
    }
    policy.set("Rules", rules);
    r.set("Policy", policy);
  }
  return r;
}

class AgentProvider final : public ResourceProvider {
 public:
  explicit AgentProvider(agents::AgentsService& a) : agents_(a) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    if (prop_string(props, "AgentName").empty()) {
      return missing_property(ctx, "AgentName");
    }
    auto created = agents_.create_agent(request_of(props));
    if (!created.ok()) {
      return created.error();
    }
    return provided(prop_string(props, "AgentName"));
  }

  std::vector<std::string> replacement_properties() const override { return {"AgentName", "Kind"}; }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value&, const json::Value& props) override {
    auto updated = agents_.update_agent(request_of(props));
    if (!updated.ok()) {
      return updated.error();
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext&, const std::string& physical_id,
                      const json::Value& props) override {
    std::string name = physical_id.empty() ? prop_string(props, "AgentName") : physical_id;
    if (name.empty()) {
      return Unit{};
    }
    auto r = agents_.delete_agent(name);
    if (!r.ok() && r.error().type != "ResourceNotFoundException") {
      return r.error();
    }
    return Unit{};
  }

 private:
  ProvidedResource provided(const std::string& name) {
    ProvidedResource p;
    p.physical_id = name;
    p.attributes = json::Value::object(
        {{"Arn", json::Value(agents_.agent_arn(name))}, {"AgentName", json::Value(name)}});
    return p;
  }
  agents::AgentsService& agents_;
};

}  // namespace

ProviderPtr agent_provider(agents::AgentsService& agents) {
  return std::make_shared<AgentProvider>(agents);
}

}  // namespace signoff::deploy
