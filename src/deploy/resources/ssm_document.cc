// AWS::SSM::Document through the automation service. Ref: the document name. Name and
// DocumentType replace it. A change of Content, VersionName or DocumentFormat makes a new
// version and sets it as the default (CloudFormation's UpdateMethod NewVersion): for a named
// document that is also the only way CloudFormation's default (Replace) can succeed, since the
// replacement would need the name the old document still holds.
#include "automation/service.h"
#include "automation/yaml.h"
#include "deploy/resources/resources.h"

namespace signoff::deploy {

namespace {

// Content given as an object is written out in the document's format.
std::string content_text(const json::Value& props, const std::string& format) {
  const json::Value* c = props.find("Content");
  if (!c || c->is_null()) {
    return {};
  }
  if (c->is_string()) {
    return std::string(c->as_string());
  }
  return format == "YAML" ? automation::to_yaml(*c) : json::dump(*c);
}

std::vector<automation::DocumentTag> tags_of(const json::Value& props) {
  std::vector<automation::DocumentTag> out;
  for (const auto& [k, v] : prop_tags(props)) {
    out.push_back({k, v});
  }
  return out;
}

class DocumentProvider final : public ResourceProvider {
 public:
  explicit DocumentProvider(automation::AutomationService& a) : ssm_(a) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    automation::CreateDocumentRequest r;
    r.name = prop_string(props, "Name", ctx.generated_name);
    r.document_format = prop_string(props, "DocumentFormat", "JSON");
    r.content = content_text(props, r.document_format);
    if (r.content.empty()) {
      return missing_property(ctx, "Content");
    }
    r.document_type = prop_string(props, "DocumentType", "Command");
    r.version_name = prop_string(props, "VersionName");
    r.target_type = prop_string(props, "TargetType");
    r.tags = tags_of(props);
    // CloudFormation creates it as the stack's caller; the administrator stands in for it.
    automation::Principal who{"arn:aws:iam::" + ctx.account + ":root", ""};
    auto created = ssm_.create_document(r, who);
    if (!created.ok()) {
      return created.error();
    }
    ProvidedResource p;
    p.physical_id = r.name;
    return p;
  }

  std::vector<std::string> replacement_properties() const override {
    return {"Name", "DocumentType"};
  }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    const std::string& name = current.physical_id;
    if (prop_changed(old_props, props, "Content") ||
        prop_changed(old_props, props, "VersionName") ||
        prop_changed(old_props, props, "DocumentFormat")) {
      automation::UpdateDocumentRequest r;
      r.name = name;
      r.document_format = prop_string(props, "DocumentFormat", "JSON");
      r.content = content_text(props, r.document_format);
      r.document_version = "$LATEST";
      r.version_name = prop_string(props, "VersionName");
      r.target_type = prop_string(props, "TargetType");
      auto updated = ssm_.update_document(r);
      if (!updated.ok()) {
        return updated.error();
      }
      std::string version = prop_string(*updated, "DocumentVersion");
      auto d = ssm_.update_default_version(name, version);
      if (!d.ok()) {
        return d.error();
      }
    }
    if (prop_changed(old_props, props, "Tags")) {
      std::vector<std::string> keys;
      for (const auto& [k, v] : prop_tags(old_props)) {
        keys.push_back(k);
      }
      if (!keys.empty()) {
        (void)ssm_.remove_document_tags(name, keys);
      }
      if (auto t = tags_of(props); !t.empty()) {
        if (auto r = ssm_.add_document_tags(name, t); !r.ok()) {
          return r.error();
        }
      }
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    automation::DocumentSelector s;
    s.name = physical_id.empty() ? prop_string(props, "Name", ctx.generated_name) : physical_id;
    auto r = ssm_.delete_document(s, false);
    if (!r.ok() && r.error().type != "InvalidDocument") {
      return r.error();
    }
    return Unit{};
  }

 private:
  automation::AutomationService& ssm_;
};

}  // namespace

ProviderPtr ssm_document_provider(automation::AutomationService& automation) {
  return std::make_shared<DocumentProvider>(automation);
}

}  // namespace signoff::deploy
