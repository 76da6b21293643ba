// Amazon SNS (query protocol): parameters in, NotifyService calls on the blocking pool, XML out.
#include "api/sns_api.h"

#include "api/protocol/xml.h"
#include "notify/messages.h"

namespace signoff::api {
namespace {

using notify::NotifyService;

constexpr std::string_view kXmlns = "http://sns.amazonaws.com/doc/2010-03-31/";

// Runs fn (returning signoff::Result<std::string> of result XML) on the pool.
template <typename F>
void run(BlockingPool& pool, const QueryReply& reply, F fn) {
  offload(pool, reply, [reply, fn = std::move(fn)]() mutable {
    signoff::Result<std::string> r = fn();
    if (!r.ok()) {
      reply.fail(to_aws(r.error()));
    } else {
      reply.ok(std::move(*r));
    }
  });
}

AwsError missing(std::string_view name) {
  return AwsError{400, "InvalidParameter", "Invalid parameter: " + std::string(name)};
}

std::string attributes_xml(const notify::Attributes& attributes) {
  XmlWriter w;
  w.open("Attributes");
  for (const auto& [k, v] : attributes) {
    w.open("entry").element("key", k).element("value", v).close();
  }
  w.close();
  return w.finish();
}

std::vector<store::Tag> read_tags(const QueryParams& params) {
  std::vector<store::Tag> tags;
  for (const QueryParams& t : params.structs("Tags")) {
    tags.push_back(store::Tag{t.get_or("Key"), t.get_or("Value")});
  }
  return tags;
}

std::optional<AwsError> check_tags(const std::vector<store::Tag>& tags) {
  for (const store::Tag& t : tags) {
    if (t.key.empty() || t.key.size() > 128 || t.value.size() > 256) {
      return AwsError{400, "InvalidParameter", "Invalid parameter: Tags"};
    }
  }
  if (tags.size() > 50) {
    return AwsError{400, "TagLimitExceeded",
                    "Could not complete request: tag quota of per "
                    "resource exceeded"};
  }
  return std::nullopt;
}

std::string subscriptions_xml(const notify::Listing<notify::Subscription>& page) {
  XmlWriter w;
  w.open("Subscriptions");
  for (const notify::Subscription& s : page.items) {
    w.open("member")
        .element("Owner", s.owner)
        .element("Endpoint", s.endpoint)
        .element("Protocol", s.protocol)
        .element("SubscriptionArn", s.confirmed ? s.arn : "PendingConfirmation")
        .element("TopicArn", s.topic_arn)
        .close();
  }
  w.close();
  if (!page.next_token.empty()) {
    w.element("NextToken", page.next_token);
  }
  return w.finish();
}

HttpResponse html(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.set_header("Content-Type", "text/html; charset=utf-8");
  r.set_header("Cache-Control", "no-store");
  return r;
}

void register_links(Router& router, NotifyService& sns, BlockingPool& pool) {
  router.add_plain_route(
      "GET", "/sns/confirm", [&sns, &pool](std::shared_ptr<const HttpRequest> http, Responder r) {
        pool.post([&sns, http, r] {
          QueryParams q = QueryParams::parse(http->query);
          signoff::Result<std::string> arn =
              sns.confirm_link(q.get_or("TopicArn"), q.get_or("Token"));
          if (!arn.ok()) {
            r(html(arn.error().status,
                   notify::link_error_page("Subscription not confirmed", arn.error().message)));
            return;
          }
          r(html(200, notify::confirmed_page(*arn, sns.unsubscribe_url(*arn))));
        });
      });
  router.add_plain_route(
      "GET", "/sns/unsubscribe",
      [&sns, &pool](std::shared_ptr<const HttpRequest> http, Responder r) {
        pool.post([&sns, http, r] {
          QueryParams q = QueryParams::parse(http->query);
          std::string arn = q.get_or("SubscriptionArn");
          signoff::Result<notify::Subscription> s =
              sns.unsubscribe_link(arn, q.get_or("Signature"));
          if (!s.ok()) {
            bool gone = s.error().type == "NotFound";
            r(html(s.error().status,
                   notify::link_error_page(
                       gone ? "Subscription already removed" : "Subscription not removed",
                       gone ? "This subscription does not exist any more." : s.error().message)));
            return;
          }
          r(html(200, notify::unsubscribed_page(s->arn, s->endpoint)));
        });
      });
  router.add_plain_route("GET", "/sns/SimpleNotificationService-signoff.pem",
                         [&sns](std::shared_ptr<const HttpRequest>, Responder r) {
                           HttpResponse resp;
                           resp.body = sns.signing_cert_pem();
                           resp.set_header("Content-Type", "application/x-pem-file");
                           r(std::move(resp));
                         });
}

// The topic a subscription belongs to: its ARN is the topic's plus ":ID".
std::string topic_of_subscription(const std::string& subscription_arn) {
  size_t colon = subscription_arn.rfind(':');
  return colon == std::string::npos ? subscription_arn : subscription_arn.substr(0, colon);
}

// What each operation must be allowed to do, per the SNS entry of the Service Authorization
// Reference, whose only resource type is the topic. Subscription operations are judged on the
// subscription's topic (the resource SNS authorizes them on, so a topic-scoped grant covers its
// subscriptions); ListTopics and ListSubscriptions have no resource type ("*"). The links in
// mails and envelopes (/sns/confirm, /sns/unsubscribe) are plain routes outside this table: they
// carry their own proof (the confirmation token, the link's HMAC) and need no signature.
QueryPermissions sns_permissions() {
  using Resource = std::function<std::string(const RequestContext&, const QueryParams&)>;
  auto perm = [](const char* action, Resource r) {
    return Permission<QueryParams>{std::string("sns:") + action, std::move(r)};
  };
  auto param = [](const char* name) -> Resource {
    return [name](const RequestContext&, const QueryParams& p) {
      return p.get_or(name);
    };
  };
  Resource created = [](const RequestContext& ctx, const QueryParams& p) {
    return "arn:aws:sns:" + ctx.region + ":" + ctx.account + ":" + p.get_or("Name");
  };
  Resource subscription = [](const RequestContext&, const QueryParams& p) {
    return topic_of_subscription(p.get_or("SubscriptionArn"));
  };
  // Publish names a topic or a target; a phone number (PhoneNumber) has no resource.
  Resource published = [](const RequestContext&, const QueryParams& p) -> std::string {
    if (const std::string* t = p.get("TopicArn"); t != nullptr && !t->empty()) {
      return *t;
    }
    if (const std::string* t = p.get("TargetArn"); t != nullptr && !t->empty()) {
      return *t;
    }
    return "*";
  };
  Resource topic = param("TopicArn");
  return {
      {"CreateTopic", perm("CreateTopic", created)},
      {"DeleteTopic", perm("DeleteTopic", topic)},
      {"ListTopics", perm("ListTopics", nullptr)},
      {"GetTopicAttributes", perm("GetTopicAttributes", topic)},
      {"SetTopicAttributes", perm("SetTopicAttributes", topic)},
      {"Subscribe", perm("Subscribe", topic)},
      {"ConfirmSubscription", perm("ConfirmSubscription", topic)},
      {"Unsubscribe", perm("Unsubscribe", subscription)},
      {"ListSubscriptions", perm("ListSubscriptions", nullptr)},
      {"ListSubscriptionsByTopic", perm("ListSubscriptionsByTopic", topic)},
      {"GetSubscriptionAttributes", perm("GetSubscriptionAttributes", subscription)},
      {"SetSubscriptionAttributes", perm("SetSubscriptionAttributes", subscription)},
      {"Publish", perm("Publish", published)},
      {"TagResource", perm("TagResource", param("ResourceArn"))},
      {"UntagResource", perm("UntagResource", param("ResourceArn"))},
      {"ListTagsForResource", perm("ListTagsForResource", param("ResourceArn"))},
  };
}

}  // namespace

void register_sns_api(Router& router, NotifyService& sns, BlockingPool& pool) {
  QueryOperations ops;

  ops.emplace("CreateTopic", QueryOperation([&sns, &pool](const RequestContext& ctx, QueryParams p,
                                                          QueryReply reply) {
                const std::string* name = p.get("Name");
                if (name == nullptr) {
                  return reply.fail(missing("Name"));
                }
                std::vector<store::Tag> tags = read_tags(p);
                if (auto e = check_tags(tags)) {
                  return reply.fail(*e);
                }
                run(pool, reply,
                    [&sns, region = ctx.region, name = *name, attrs = p.map("Attributes"),
                     tags]() -> signoff::Result<std::string> {
                      auto arn = sns.create_topic(region, name, attrs, tags);
                      if (!arn.ok()) {
                        return arn.error();
                      }
                      return XmlWriter().element("TopicArn", *arn).finish();
                    });
              }));

  ops.emplace("DeleteTopic",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, arn = p.get_or("TopicArn")]() -> signoff::Result<std::string> {
                      auto r = sns.delete_topic(arn);
                      if (!r.ok()) {
                        return r.error();
                      }
                      return std::string();
                    });
              }));

  ops.emplace("ListTopics", QueryOperation([&sns, &pool](const RequestContext& ctx, QueryParams p,
                                                         QueryReply reply) {
                run(pool, reply,
                    [&sns, region = ctx.region,
                     token = p.get_or("NextToken")]() -> signoff::Result<std::string> {
                      auto page = sns.list_topics(region, token);
                      if (!page.ok()) {
                        return page.error();
                      }
                      XmlWriter w;
                      w.open("Topics");
                      for (const std::string& arn : page->items) {
                        w.open("member").element("TopicArn", arn).close();
                      }
                      w.close();
                      if (!page->next_token.empty()) {
                        w.element("NextToken", page->next_token);
                      }
                      return w.finish();
                    });
              }));

  ops.emplace("GetTopicAttributes",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, arn = p.get_or("TopicArn")]() -> signoff::Result<std::string> {
                      auto attrs = sns.get_topic_attributes(arn);
                      if (!attrs.ok()) {
                        return attrs.error();
                      }
                      return attributes_xml(*attrs);
                    });
              }));

  ops.emplace("SetTopicAttributes",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                const std::string* name = p.get("AttributeName");
                if (name == nullptr) {
                  return reply.fail(missing("AttributeName"));
                }
                std::optional<std::string> value;
                if (const std::string* v = p.get("AttributeValue")) {
                  value = *v;
                }
                run(pool, reply,
                    [&sns, arn = p.get_or("TopicArn"), name = *name,
                     value]() -> signoff::Result<std::string> {
                      auto r = sns.set_topic_attributes(arn, name, value);
                      if (!r.ok()) {
                        return r.error();
                      }
                      return std::string();
                    });
              }));

  ops.emplace(
      "Subscribe",
      QueryOperation([&sns, &pool](const RequestContext& ctx, QueryParams p, QueryReply reply) {
        notify::SubscribeRequest r;
        r.topic_arn = p.get_or("TopicArn");
        r.protocol = p.get_or("Protocol");
        r.endpoint = p.get_or("Endpoint");
        r.attributes = p.map("Attributes");
        r.return_subscription_arn = p.get_or("ReturnSubscriptionArn") == "true";
        run(pool, reply,
            [&sns, region = ctx.region, r = std::move(r)]() -> signoff::Result<std::string> {
              auto arn = sns.subscribe(region, r);
              if (!arn.ok()) {
                return arn.error();
              }
              return XmlWriter().element("SubscriptionArn", *arn).finish();
            });
      }));

  ops.emplace("ConfirmSubscription",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, topic = p.get_or("TopicArn"),
                     token = p.get_or("Token")]() -> signoff::Result<std::string> {
                      auto arn = sns.confirm_subscription(topic, token);
                      if (!arn.ok()) {
                        return arn.error();
                      }
                      return XmlWriter().element("SubscriptionArn", *arn).finish();
                    });
              }));

  ops.emplace("Unsubscribe",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, arn = p.get_or("SubscriptionArn")]() -> signoff::Result<std::string> {
                      auto r = sns.unsubscribe(arn);
                      if (!r.ok()) {
                        return r.error();
                      }
                      return std::string();
                    });
              }));

  ops.emplace("ListSubscriptions", QueryOperation([&sns, &pool](const RequestContext& ctx,
                                                                QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, region = ctx.region,
                     token = p.get_or("NextToken")]() -> signoff::Result<std::string> {
                      auto page = sns.list_subscriptions(region, token);
                      if (!page.ok()) {
                        return page.error();
                      }
                      return subscriptions_xml(*page);
                    });
              }));

  ops.emplace("ListSubscriptionsByTopic",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, topic = p.get_or("TopicArn"),
                     token = p.get_or("NextToken")]() -> signoff::Result<std::string> {
                      auto page = sns.list_subscriptions_by_topic(topic, token);
                      if (!page.ok()) {
                        return page.error();
                      }
                      return subscriptions_xml(*page);
                    });
              }));

  ops.emplace("GetSubscriptionAttributes",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, arn = p.get_or("SubscriptionArn")]() -> signoff::Result<std::string> {
                      auto attrs = sns.get_subscription_attributes(arn);
                      if (!attrs.ok()) {
                        return attrs.error();
                      }
                      return attributes_xml(*attrs);
                    });
              }));

  ops.emplace("SetSubscriptionAttributes",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                const std::string* name = p.get("AttributeName");
                if (name == nullptr) {
                  return reply.fail(missing("AttributeName"));
                }
                run(pool, reply,
                    [&sns, arn = p.get_or("SubscriptionArn"), name = *name,
                     value = p.get_or("AttributeValue")]() -> signoff::Result<std::string> {
                      auto r = sns.set_subscription_attributes(arn, name, value);
                      if (!r.ok()) {
                        return r.error();
                      }
                      return std::string();
                    });
              }));

  ops.emplace(
      "Publish",
      QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
        notify::PublishRequest r;
        r.topic_arn = p.get_or("TopicArn");
        r.target_arn = p.get_or("TargetArn");
        if (const std::string* subject = p.get("Subject")) {
          r.subject = *subject;
        }
        r.message = p.get_or("Message");
        r.message_structure = p.get_or("MessageStructure");
        for (const QueryParams& a : p.structs("MessageAttributes", "entry")) {
          r.message_attributes.push_back(notify::MessageAttribute{
              a.get_or("Name"), a.get_or("Value.DataType"), a.get_or("Value.StringValue"),
              a.get_or("Value.BinaryValue")});
        }
        if (p.get("PhoneNumber") != nullptr && r.topic_arn.empty() && r.target_arn.empty()) {
          return reply.fail(AwsError{400, "InvalidParameter",
                                     "Invalid parameter: PhoneNumber Reason: Signoff "
                                     "does not send SMS"});
        }
        run(pool, reply, [&sns, r = std::move(r)]() -> signoff::Result<std::string> {
          auto id = sns.publish(r);
          if (!id.ok()) {
            return id.error();
          }
          return XmlWriter().element("MessageId", *id).finish();
        });
      }));

  ops.emplace("TagResource",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                std::vector<store::Tag> tags = read_tags(p);
                if (auto e = check_tags(tags)) {
                  return reply.fail(*e);
                }
                run(pool, reply,
                    [&sns, arn = p.get_or("ResourceArn"), tags]() -> signoff::Result<std::string> {
                      auto r = sns.tag_resource(arn, tags);
                      if (!r.ok()) {
                        return r.error();
                      }
                      return std::string();
                    });
              }));

  ops.emplace("UntagResource",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, arn = p.get_or("ResourceArn"),
                     keys = p.list("TagKeys")]() -> signoff::Result<std::string> {
                      auto r = sns.untag_resource(arn, keys);
                      if (!r.ok()) {
                        return r.error();
                      }
                      return std::string();
                    });
              }));

  ops.emplace("ListTagsForResource",
              QueryOperation([&sns, &pool](const RequestContext&, QueryParams p, QueryReply reply) {
                run(pool, reply,
                    [&sns, arn = p.get_or("ResourceArn")]() -> signoff::Result<std::string> {
                      auto tags = sns.list_tags(arn);
                      if (!tags.ok()) {
                        return tags.error();
                      }
                      XmlWriter w;
                      w.open("Tags");
                      for (const store::Tag& t : *tags) {
                        w.open("member").element("Key", t.key).element("Value", t.value).close();
                      }
                      w.close();
                      return w.finish();
                    });
              }));

  router.add_query_service("sns", std::string(kXmlns), std::move(ops), sns_permissions());
  register_links(router, sns, pool);
}

}  // namespace signoff::api
