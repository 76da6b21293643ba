// AWS::StepFunctions::StateMachine through the Step Functions engine. Ref and Arn: the state
// machine ARN; Name; a changed StateMachineName or StateMachineType replaces it.
#include "deploy/resources/resources.h"
#include "engine/engine.h"

namespace signoff::deploy {

namespace {

std::string definition_text(const json::Value& props, std::string* error) {
  std::string text;
  if (props.find("Definition") && props.find("Definition")->is_object()) {
    text = json::dump(*props.find("Definition"));
  } else {
    text = prop_string(props, "DefinitionString");
  }
  if (text.empty()) {
    *error =
        "Properties validation failed for resource with message: [#: required key "
        "[DefinitionString] not found]";
    return {};
  }
  // DefinitionSubstitutions: ${key} in the definition → the value (CloudFormation's own
  // templating, applied before Step Functions sees the text).
  if (const json::Value* subs = props.find("DefinitionSubstitutions"); subs && subs->is_object()) {
    for (const json::Member& m : subs->as_object()) {
      std::string needle = "${" + m.key + "}";
      std::string value =
          m.value.is_string() ? std::string(m.value.as_string()) : json::dump(m.value);
      size_t at = 0;
      while ((at = text.find(needle, at)) != std::string::npos) {
        text.replace(at, needle.size(), value);
        at += value.size();
      }
    }
  }
  return text;
}

std::string optional_config(const json::Value& props, const char* name) {
  const json::Value* v = props.find(name);
  return v && v->is_object() ? json::dump(camel_case_keys(*v)) : "";
}

ProvidedResource provided(const std::string& arn, const std::string& name,
                          const std::string& revision) {
  ProvidedResource p;
  p.physical_id = arn;
  p.attributes = json::Value::object({{"Arn", json::Value(arn)},
                                      {"Name", json::Value(name)},
                                      {"StateMachineRevisionId", json::Value(revision)}});
  return p;
}

class StateMachineProvider final : public ResourceProvider {
 public:
  explicit StateMachineProvider(engine::Engine& e) : engine_(e) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string error;
    std::string definition = definition_text(props, &error);
    if (!error.empty()) {
      return invalid_request(error);
    }
    engine::CreateStateMachineRequest r;
    r.region = ctx.region;
    r.name = prop_string(props, "StateMachineName", ctx.generated_short_name);
    r.definition = definition;
    r.role_arn = prop_string(props, "RoleArn");
    r.type = prop_string(props, "StateMachineType");
    r.logging_configuration = optional_config(props, "LoggingConfiguration");
    r.tracing_configuration = optional_config(props, "TracingConfiguration");
    for (const auto& [k, v] : prop_tags(props)) {
      r.tags.push_back(store::Tag{k, v});
    }
    auto created = engine_.create_state_machine(r);
    if (!created.ok()) {
      return created.error();
    }
    return provided(created->state_machine_arn, r.name, created->state_machine_arn);
  }

  std::vector<std::string> replacement_properties() const override {
    return {"StateMachineName", "StateMachineType"};
  }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value&, const json::Value& props) override {
    std::string error;
    std::string definition = definition_text(props, &error);
    if (!error.empty()) {
      return invalid_request(error);
    }
    engine::UpdateStateMachineRequest r;
    r.state_machine_arn = current.physical_id;
    r.definition = definition;
    r.role_arn = prop_string(props, "RoleArn");
    std::string logging = optional_config(props, "LoggingConfiguration");
    r.logging_configuration =
        logging.empty() ? R"({"level":"OFF","includeExecutionData":false})" : logging;
    auto updated = engine_.update_state_machine(r);
    if (!updated.ok()) {
      return updated.error();
    }
    ProvidedResource p = current;
    p.attributes.set("StateMachineRevisionId", json::Value(updated->revision_id));
    return p;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string arn = physical_id;
    if (arn.empty()) {
      arn = "arn:aws:states:" + ctx.region + ":" + ctx.account +
            ":stateMachine:" + prop_string(props, "StateMachineName", ctx.generated_short_name);
    }
    auto r = engine_.delete_state_machine(arn);
    if (!r.ok() && r.error().type != "StateMachineDoesNotExist") {
      return r.error();
    }
    return Unit{};
  }

 private:
  engine::Engine& engine_;
};

}  // namespace

json::Value camel_case_keys(const json::Value& v) {
  if (v.is_array()) {
    std::vector<json::Value> items;
    for (const json::Value& x : v.as_array()) {
      items.push_back(camel_case_keys(x));
    }
    return json::Value::array(std::move(items));
  }
  if (!v.is_object()) {
    return v;
  }
  std::vector<json::Member> members;
  for (const json::Member& m : v.as_object()) {
    std::string key = m.key;
    if (!key.empty() && key[0] >= 'A' && key[0] <= 'Z') {
      key[0] = static_cast<char>(key[0] - 'A' + 'a');
    }
    members.push_back({key, camel_case_keys(m.value)});
  }
  return json::Value::object(std::move(members));
}

ProviderPtr state_machine_provider(engine::Engine& engine) {
  return std::make_shared<StateMachineProvider>(engine);
}

}  // namespace signoff::deploy
