// AWS::IAM::User through the identity service. Ref: the user name; Arn. UserName and Path replace
// it (the identity service has no UpdateUser); Groups, inline Policies and ManagedPolicyArns
// change in place, and so does LoginProfile (the console password: created, updated or deleted
// with the property). Tags and PermissionsBoundary are accepted and not applied.
#include <algorithm>

#include "deploy/resources/iam_policies.h"
#include "deploy/resources/resources.h"
#include "iam/identity.h"

namespace signoff::deploy {

namespace {

using iam::EntityType;

// LoginProfile {Password, PasswordResetRequired}: nullopt when absent.
struct Profile {
  std::string password;
  bool reset_required = false;
  bool operator==(const Profile&) const = default;
};
std::optional<Profile> login_profile(const json::Value& props) {
  const json::Value* v = props.find("LoginProfile");
  if (v == nullptr || !v->is_object()) {
    return std::nullopt;
  }
  Profile p;
  p.password = prop_string(*v, "Password");
  const json::Value* reset = v->find("PasswordResetRequired");
  p.reset_required = reset && ((reset->is_bool() && reset->as_bool()) ||
                               (reset->is_string() && reset->as_string() == "true"));
  return p;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool not_found(const Error& e) {
  return e.type == "NoSuchEntity";
}

class UserProvider final : public ResourceProvider {
 public:
  explicit UserProvider(iam::IdentityService& id) : id_(id) {}

  Result<ProvidedResource> create(const ResourceContext& ctx, const json::Value& props) override {
    std::string name = prop_string(props, "UserName", ctx.generated_name);
    auto user = id_.create_user(name, prop_string(props, "Path", "/"));
    if (!user.ok()) {
      return user.error();
    }
    auto applied = apply(name, json::Value::object(), props);
    if (!applied.ok()) {
      (void)remove(ctx, name, props);  // not recorded by the stack: leave nothing behind
      return applied.error();
    }
    ProvidedResource p;
    p.physical_id = name;
    p.attributes = json::Value::object({{"Arn", json::Value(user->arn)}});
    return p;
  }

  std::vector<std::string> replacement_properties() const override { return {"UserName", "Path"}; }

  Result<ProvidedResource> update(const ResourceContext&, const ProvidedResource& current,
                                  const json::Value& old_props, const json::Value& props) override {
    auto r = apply(current.physical_id, old_props, props);
    if (!r.ok()) {
      return r.error();
    }
    return current;
  }

  Result<Unit> remove(const ResourceContext& ctx, const std::string& physical_id,
                      const json::Value& props) override {
    std::string name =
        physical_id.empty() ? prop_string(props, "UserName", ctx.generated_name) : physical_id;
    auto user = id_.get_user(name);
    if (!user.ok()) {
      return not_found(user.error()) ? Result<Unit>(Unit{}) : Result<Unit>(user.error());
    }
    if (auto r = id_.delete_login_profile(name); !r.ok() && !not_found(r.error())) {
      return r.error();
    }
    for (const auto& [policy, document] : user->inline_policies) {
      if (auto r = id_.delete_inline_policy(EntityType::User, name, policy); !r.ok()) {
        return r.error();
      }
    }
    for (const std::string& arn : user->attached) {
      if (auto r = id_.detach_policy(EntityType::User, name, arn); !r.ok()) {
        return r.error();
      }
    }
    for (const std::string& group : user->groups) {
      if (auto r = id_.remove_user_from_group(group, name); !r.ok() && !not_found(r.error())) {
        return r.error();
      }
    }
    auto r = id_.delete_user(name);
    if (!r.ok() && !not_found(r.error())) {
      return r.error();
    }
    return Unit{};
  }

 private:
  // Brings groups and policies from `before` to `after`.
  Result<Unit> apply(const std::string& name, const json::Value& before, const json::Value& after) {
    auto old_groups = prop_strings(before, "Groups");
    auto new_groups = prop_strings(after, "Groups");
    for (const std::string& g : new_groups) {
      if (!contains(old_groups, g)) {
        if (auto r = id_.add_user_to_group(g, name); !r.ok()) {
          return r.error();
        }
      }
    }
    for (const std::string& g : old_groups) {
      if (!contains(new_groups, g)) {
        (void)id_.remove_user_from_group(g, name);
      }
    }
    if (auto r = reconcile_inline_policies(id_, EntityType::User, name, before, after); !r.ok()) {
      return r;
    }
    auto old_profile = login_profile(before);
    auto new_profile = login_profile(after);
    if (new_profile && !old_profile) {
      auto r = id_.create_login_profile(name, new_profile->password, new_profile->reset_required);
      if (!r.ok()) {
        return r.error();
      }
    } else if (new_profile && *new_profile != *old_profile) {
      auto r = id_.update_login_profile(name, new_profile->password, new_profile->reset_required);
      if (!r.ok()) {
        return r.error();
      }
    } else if (!new_profile && old_profile) {
      (void)id_.delete_login_profile(name);
    }
    return reconcile_managed_policies(id_, EntityType::User, name, before, after);
  }

  iam::IdentityService& id_;
};

}  // namespace

ProviderPtr iam_user_provider(iam::IdentityService& identity) {
  return std::make_shared<UserProvider>(identity);
}

}  // namespace signoff::deploy
