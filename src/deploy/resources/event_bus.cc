// AWS::Events::EventBus through the EventBridge service. Ref: the bus name; Arn, Name. Name
// replaces it; Description is kept as created (the service has no UpdateEventBus).
#include "bus/events.h"
#include "deploy/resources/resources.h"

namespace signoff::deploy {

namespace {

class EventBusProvider final : public ResourceProvider {
 public:
  explicit EventBusProvider(bus::EventsService& e) : events_(e) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string name = prop_string(props, "Name");
    if (name.empty()) {
      return missing_property(ctx, "Name");
    }
    auto created = events_.create_event_bus(name, prop_string(props, "Description"));
    if (!created.ok()) {
      return created.error();
    }
    std::string arn = prop_string(*created, "EventBusArn");
    if (arn.empty()) {
      arn = "arn:aws:events:" + ctx.region + ":" + ctx.account + ":event-bus/" + name;
    }
    ProvidedResource p;
    p.physical_id = name;
    p.attributes = json::Value::object({{"Arn", json::Value(arn)}, {"Name", json::Value(name)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override { return {"Name"}; }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value&, const json::Value&) override {
    return current;
  }

  Result<Unit> remove(const ResourceContext&, const std::string& physical_id,
                      const json::Value& props) override {
    std::string name = physical_id.empty() ? prop_string(props, "Name") : physical_id;
    if (name.empty()) {
      return Unit{};
    }
    auto r = events_.delete_event_bus(name);
    if (!r.ok() && r.error().type != "ResourceNotFoundException") {
      return r.error();
    }
    return Unit{};
  }

 private:
  bus::EventsService& events_;
};

}  // namespace

ProviderPtr event_bus_provider(bus::EventsService& events) {
  return std::make_shared<EventBusProvider>(events);
}

}  // namespace signoff::deploy
