// AWS::Logs::LogGroup through the logs service. Ref: the group name; Arn in CloudFormation's form
// (arn:aws:logs:R:A:log-group:NAME:*, what Step Functions' logging destinations expect).
// LogGroupName replaces it; RetentionInDays changes in place.
#include "deploy/resources/resources.h"
#include "logs/logs.h"

namespace signoff::deploy {

namespace {

class LogGroupProvider final : public ResourceProvider {
 public:
  explicit LogGroupProvider(logs::LogsService& l) : logs_(l) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string name = prop_string(props, "LogGroupName", ctx.generated_name);
    if (auto r = logs_.create_log_group(ctx.region, name); !r.ok()) {
      return r.error();
    }
    if (auto days = prop_int(props, "RetentionInDays")) {
      if (auto r = logs_.set_retention(ctx.region, name, static_cast<int>(*days)); !r.ok()) {
        (void)logs_.delete_log_group(ctx.region, name);
        return r.error();
      }
    }
    ProvidedResource p;
    p.physical_id = name;
    p.attributes =
        json::Value::object({{"Arn", json::Value("arn:aws:logs:" + ctx.region + ":" + ctx.account +
                                                 ":log-group:" + name + ":*")}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override { return {"LogGroupName"}; }

  Result<ProvidedResource> update(const ResourceContext& ctx, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    if (prop_changed(old_props, props, "RetentionInDays")) {
      std::optional<int> days;
      if (auto d = prop_int(props, "RetentionInDays")) {
        days = static_cast<int>(*d);
      }
      if (auto r = logs_.set_retention(ctx.region, current.physical_id, days); !r.ok()) {
        return r.error();
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string name =
        physical_id.empty() ? prop_string(props, "LogGroupName", ctx.generated_name) : physical_id;
    auto r = logs_.delete_log_group(ctx.region, name);
    if (!r.ok() && r.error().type != "ResourceNotFoundException") {
      return r.error();
    }
    return Unit{};
  }

 private:
  logs::LogsService& logs_;
};

}  // namespace

ProviderPtr log_group_provider(logs::LogsService& logs) {
  return std::make_shared<LogGroupProvider>(logs);
}

}  // namespace signoff::deploy
