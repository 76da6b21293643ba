// Documents (keyed, versioned, indexed JSON) and the jobs committed with them; due_jobs.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "store_contract.h"

namespace signoff::store::testing {
namespace {

const std::string kUsers = "iam.user";

DocumentRecord doc(const std::string& key, const std::string& json, const std::string& index = "",
                   int64_t created_ms = 100, int64_t updated_ms = 100,
                   const std::string& kind = kUsers) {
  DocumentRecord d;
  d.kind = kind;
  d.key = key;
  d.json = json;
  d.index = index;
  d.created_ms = created_ms;
  d.updated_ms = updated_ms;
  return d;
}

DocumentWrite put(DocumentRecord d, int64_t expected_version) {
  return DocumentWrite{DocumentWrite::Op::Put, std::move(d), expected_version};
}

DocumentWrite del(const std::string& key, int64_t expected_version,
                  const std::string& kind = kUsers) {
  DocumentRecord d;
  d.kind = kind;
  d.key = key;
  return DocumentWrite{DocumentWrite::Op::Delete, std::move(d), expected_version};
}

WriteStatus apply_one(Store& s, DocumentWrite w) {
  DocumentBatch b;
  b.writes.push_back(std::move(w));
  return s.apply_documents(b);
}

JobRecord job(const std::string& id, const std::string& kind, int64_t due,
              const std::string& owner = "") {
  return JobRecord{id, kind, owner, due, R"({"id":")" + id + "\"}", 0, ""};
}

std::vector<std::string> keys(const std::vector<DocumentRecord>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) {
    out.push_back(d.key);
  }
  return out;
}

std::vector<std::string> ids(const std::vector<JobRecord>& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs) {
    out.push_back(j.id);
  }
  return out;
}

// Every key of `kind` under `prefix`, following next_key page by page.
std::vector<std::string> list_all(Store& s, const std::string& kind, const std::string& prefix,
                                  size_t limit, size_t* pages = nullptr) {
  std::vector<std::string> out;
  std::string after;
  size_t n = 0;
  for (;;) {
    Page<DocumentRecord> page = s.list_documents(kind, prefix, after, limit);
    ++n;
    if (limit != 0) {
      EXPECT_LE(page.items.size(), limit);
    }
    for (const auto& d : page.items) {
      out.push_back(d.key);
    }
    if (page.next_key.empty()) {
      break;
    }
    EXPECT_EQ(page.items.size(), limit) << "a page before the last one is full";
    after = page.next_key;
    if (n > 1000) {
      ADD_FAILURE() << "pagination does not end";
      break;
    }
  }
  if (pages) {
    *pages = n;
  }
  return out;
}

// --- single writes: every expected-version case ------------------------------------------------

TEST_P(StoreContract, PutMustNotExistInsertsOnceThenAlreadyExists) {
  Store& s = open();
  EXPECT_FALSE(s.get_document(kUsers, "alice"));
  DocumentRecord d = doc("alice", std::string("{\"with\":\"nul\0byte\"}", 19), "g1", 100, 150);
  d.version = 42;  // ignored: the store sets versions
  ASSERT_EQ(apply_one(s, put(d, kMustNotExist)), WriteStatus::Ok);
  auto got = s.get_document(kUsers, "alice");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->kind, kUsers);
  EXPECT_EQ(got->key, "alice");
  EXPECT_EQ(got->json, d.json);
  EXPECT_EQ(got->index, "g1");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_ms, 100);
  EXPECT_EQ(got->updated_ms, 150);

  EXPECT_EQ(apply_one(s, put(doc("alice", "{\"other\":1}", "g2", 900, 900), kMustNotExist)),
            WriteStatus::AlreadyExists);
  got = s.get_document(kUsers, "alice");
  EXPECT_EQ(got->json, d.json);
  EXPECT_EQ(got->index, "g1");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_ms, 100);
}

TEST_P(StoreContract, PutAnyVersionInsertsThenReplacesKeepingCreated) {
  Store& s = open();
  ASSERT_EQ(apply_one(s, put(doc("bob", "{\"v\":1}", "g1", 100, 100), kAnyVersion)),
            WriteStatus::Ok);
  auto got = s.get_document(kUsers, "bob");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_ms, 100);

  ASSERT_EQ(apply_one(s, put(doc("bob", "{\"v\":2}", "", 999, 200), kAnyVersion)), WriteStatus::Ok);
  got = s.get_document(kUsers, "bob");
  EXPECT_EQ(got->json, "{\"v\":2}");
  EXPECT_EQ(got->index, "");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->created_ms, 100) << "created_ms is kept on replace";
  EXPECT_EQ(got->updated_ms, 200);

  ASSERT_EQ(apply_one(s, put(doc("bob", "{\"v\":3}", "", 999, 300), kAnyVersion)), WriteStatus::Ok);
  EXPECT_EQ(s.get_document(kUsers, "bob")->version, 3);
}

TEST_P(StoreContract, PutWithExpectedVersionReplacesOnlyThatVersion) {
  Store& s = open();
  EXPECT_EQ(apply_one(s, put(doc("carol", "{}"), 1)), WriteStatus::NotFound);
  EXPECT_FALSE(s.get_document(kUsers, "carol")) << "a failed replace must not insert";

  ASSERT_EQ(apply_one(s, put(doc("carol", "{\"v\":1}", "", 100, 100), kMustNotExist)),
            WriteStatus::Ok);
  EXPECT_EQ(apply_one(s, put(doc("carol", "{\"v\":9}"), 2)), WriteStatus::ConditionFailed);
  EXPECT_EQ(apply_one(s, put(doc("carol", "{\"v\":9}"), -7)), WriteStatus::ConditionFailed);
  EXPECT_EQ(s.get_document(kUsers, "carol")->json, "{\"v\":1}");

  ASSERT_EQ(apply_one(s, put(doc("carol", "{\"v\":2}", "g", 555, 200), 1)), WriteStatus::Ok);
  auto got = s.get_document(kUsers, "carol");
  EXPECT_EQ(got->json, "{\"v\":2}");
  EXPECT_EQ(got->index, "g");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->created_ms, 100);
  EXPECT_EQ(got->updated_ms, 200);

  // The version read before the replace is stale now.
  EXPECT_EQ(apply_one(s, put(doc("carol", "{\"v\":3}"), 1)), WriteStatus::ConditionFailed);
  ASSERT_EQ(apply_one(s, put(doc("carol", "{\"v\":3}"), 2)), WriteStatus::Ok);
  EXPECT_EQ(s.get_document(kUsers, "carol")->version, 3);
}

TEST_P(StoreContract, DeleteAnyVersionIsOkWhetherOrNotPresent) {
  Store& s = open();
  EXPECT_EQ(apply_one(s, del("dave", kAnyVersion)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("dave", "{}"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("dave", "{}"), kAnyVersion)), WriteStatus::Ok);
  EXPECT_EQ(apply_one(s, del("dave", kAnyVersion)), WriteStatus::Ok);
  EXPECT_FALSE(s.get_document(kUsers, "dave"));
  EXPECT_EQ(apply_one(s, del("dave", kAnyVersion)), WriteStatus::Ok);

  // A deleted key starts over at version 1.
  ASSERT_EQ(apply_one(s, put(doc("dave", "{}"), kMustNotExist)), WriteStatus::Ok);
  EXPECT_EQ(s.get_document(kUsers, "dave")->version, 1);
}

TEST_P(StoreContract, DeleteWithExpectedVersionDeletesOnlyThatVersion) {
  Store& s = open();
  EXPECT_EQ(apply_one(s, del("erin", 1)), WriteStatus::NotFound);
  ASSERT_EQ(apply_one(s, put(doc("erin", "{}"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("erin", "{\"v\":2}"), 1)), WriteStatus::Ok);
  EXPECT_EQ(apply_one(s, del("erin", 1)), WriteStatus::ConditionFailed);
  EXPECT_EQ(apply_one(s, del("erin", 3)), WriteStatus::ConditionFailed);
  EXPECT_EQ(s.get_document(kUsers, "erin")->version, 2);
  EXPECT_EQ(apply_one(s, del("erin", 2)), WriteStatus::Ok);
  EXPECT_FALSE(s.get_document(kUsers, "erin"));
  EXPECT_EQ(apply_one(s, del("erin", 2)), WriteStatus::NotFound);
}

TEST_P(StoreContract, DeleteMustNotExistOnlyChecks) {
  Store& s = open();
  EXPECT_EQ(apply_one(s, del("frank", kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("frank", "{}"), kMustNotExist)), WriteStatus::Ok);
  EXPECT_EQ(apply_one(s, del("frank", kMustNotExist)), WriteStatus::AlreadyExists);
  EXPECT_TRUE(s.get_document(kUsers, "frank"));
}

TEST_P(StoreContract, KindsAreSeparateNamespaces) {
  Store& s = open();
  ASSERT_EQ(apply_one(s, put(doc("x", "{\"u\":1}", "i", 1, 1, "iam.user"), kMustNotExist)),
            WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("x", "{\"r\":1}", "i", 1, 1, "iam.role"), kMustNotExist)),
            WriteStatus::Ok);
  EXPECT_EQ(s.get_document("iam.user", "x")->json, "{\"u\":1}");
  EXPECT_EQ(s.get_document("iam.role", "x")->json, "{\"r\":1}");
  EXPECT_FALSE(s.get_document("iam.group", "x"));
  EXPECT_EQ(keys(s.list_documents("iam.user", "", "", 0).items), (std::vector<std::string>{"x"}));
  EXPECT_EQ(s.documents_by_index("iam.role", "i").size(), 1u);
  ASSERT_EQ(apply_one(s, del("x", kAnyVersion, "iam.role")), WriteStatus::Ok);
  EXPECT_TRUE(s.get_document("iam.user", "x"));
  EXPECT_FALSE(s.get_document("iam.role", "x"));
}

// --- batches -------------------------------------------------------------------------------------

TEST_P(StoreContract, EmptyBatchIsOk) {
  Store& s = open();
  EXPECT_EQ(s.apply_documents(DocumentBatch{}), WriteStatus::Ok);
}

TEST_P(StoreContract, BatchAppliesWritesInOrderWithItsJobs) {
  Store& s = open();
  s.put_job(job("old", "events.delivery", 5));
  ASSERT_EQ(apply_one(s, put(doc("gone", "{}"), kMustNotExist)), WriteStatus::Ok);

  DocumentBatch b;
  // Later writes see earlier ones: insert, then replace the version just written, then again.
  b.writes.push_back(put(doc("a", "{\"v\":1}", "", 10, 10), kMustNotExist));
  b.writes.push_back(put(doc("a", "{\"v\":2}", "", 99, 20), 1));
  b.writes.push_back(put(doc("a", "{\"v\":3}", "", 99, 30), kAnyVersion));
  b.writes.push_back(put(doc("b", "{}"), kMustNotExist));
  b.writes.push_back(del("b", 1));
  b.writes.push_back(del("gone", 1));
  b.jobs_to_put.push_back(job("new", "events.delivery", 7, "a"));
  b.jobs_to_delete.push_back("old");
  b.jobs_to_delete.push_back("never-existed");
  ASSERT_EQ(s.apply_documents(b), WriteStatus::Ok);

  auto a = s.get_document(kUsers, "a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->json, "{\"v\":3}");
  EXPECT_EQ(a->version, 3);
  EXPECT_EQ(a->created_ms, 10);
  EXPECT_EQ(a->updated_ms, 30);
  EXPECT_FALSE(s.get_document(kUsers, "b"));
  EXPECT_FALSE(s.get_document(kUsers, "gone"));
  EXPECT_FALSE(s.get_job("old"));
  auto j = s.get_job("new");
  ASSERT_TRUE(j);
  EXPECT_EQ(j->owner, "a");
  EXPECT_EQ(j->due_ms, 7);
}

TEST_P(StoreContract, BatchOfOnlyJobsCommits) {
  Store& s = open();
  s.put_job(job("j0", "mail", 1));
  DocumentBatch b;
  b.jobs_to_put.push_back(job("j1", "mail", 2));
  b.jobs_to_delete.push_back("j0");
  ASSERT_EQ(s.apply_documents(b), WriteStatus::Ok);
  EXPECT_EQ(ids(s.jobs_by_kind("mail")), (std::vector<std::string>{"j1"}));
}

// A failing write in the middle of a batch leaves nothing behind: neither the writes before it,
// nor those after it, nor the batch's jobs.
TEST_P(StoreContract, AFailingWriteRollsBackTheWholeBatch) {
  struct Case {
    const char* name;
    DocumentWrite failing;
    WriteStatus expected;
  };
  const std::vector<Case> cases = {
      {"insert of a taken key", put(doc("taken", "{\"x\":1}"), kMustNotExist),
       WriteStatus::AlreadyExists},
      {"replace of a missing key", put(doc("missing", "{}"), 1), WriteStatus::NotFound},
      {"replace of a moved version", put(doc("taken", "{\"x\":1}"), 7),
       WriteStatus::ConditionFailed},
      {"delete of a missing key", del("missing", 1), WriteStatus::NotFound},
      {"delete of a moved version", del("taken", 7), WriteStatus::ConditionFailed},
      {"delete that must not exist", del("taken", kMustNotExist), WriteStatus::AlreadyExists},
  };
  Store& s = open();
  ASSERT_EQ(apply_one(s, put(doc("taken", "{\"orig\":true}", "idx-orig"), kMustNotExist)),
            WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("taken", "{\"orig\":true}", "idx-orig"), kAnyVersion)),
            WriteStatus::Ok);  // version 2
  ASSERT_EQ(apply_one(s, put(doc("victim", "{\"orig\":true}"), kMustNotExist)), WriteStatus::Ok);
  s.put_job(job("standing", "timer", 50));

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    DocumentBatch b;
    b.writes.push_back(put(doc("before", "{}", "idx-new"), kMustNotExist));
    b.writes.push_back(put(doc("victim", "{\"changed\":true}", "idx-new"), 1));
    b.writes.push_back(put(doc("taken", "{\"changed\":true}", "idx-new"), kAnyVersion));
    b.writes.push_back(c.failing);
    b.writes.push_back(put(doc("after", "{}"), kMustNotExist));
    b.jobs_to_put.push_back(job("batch-job", "timer", 10));
    b.jobs_to_delete.push_back("standing");
    EXPECT_EQ(s.apply_documents(b), c.expected);

    EXPECT_FALSE(s.get_document(kUsers, "before"));
    EXPECT_FALSE(s.get_document(kUsers, "after"));
    EXPECT_FALSE(s.get_document(kUsers, "missing"));
    auto victim = s.get_document(kUsers, "victim");
    ASSERT_TRUE(victim);
    EXPECT_EQ(victim->json, "{\"orig\":true}");
    EXPECT_EQ(victim->version, 1);
    auto taken = s.get_document(kUsers, "taken");
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->json, "{\"orig\":true}");
    EXPECT_EQ(taken->version, 2);
    EXPECT_TRUE(s.documents_by_index(kUsers, "idx-new").empty());
    EXPECT_EQ(keys(s.documents_by_index(kUsers, "idx-orig")), (std::vector<std::string>{"taken"}));
    EXPECT_FALSE(s.get_job("batch-job"));
    EXPECT_TRUE(s.get_job("standing"));
    EXPECT_EQ(keys(s.list_documents(kUsers, "", "", 0).items),
              (std::vector<std::string>{"taken", "victim"}));
  }
}

// Concurrent batches share one database transaction; a failing one rolls back alone.
TEST_P(StoreContract, ConcurrentBatchesFailIndependently) {
  Store& s = open();
  ASSERT_EQ(apply_one(s, put(doc("taken", "{}"), kMustNotExist)), WriteStatus::Ok);
  constexpr int kThreads = 16;
  constexpr int kRounds = 10;
  std::latch go(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      go.arrive_and_wait();
      for (int r = 0; r < kRounds; ++r) {
        const std::string name = std::to_string(t) + "-" + std::to_string(r);
        const bool fail = (t + r) % 2 == 1;
        DocumentBatch b;
        b.writes.push_back(put(doc("d/" + name, "{}", "t" + std::to_string(t)), kMustNotExist));
        if (fail) {
          b.writes.push_back(put(doc("taken", "{}"), kMustNotExist));
        }
        b.jobs_to_put.push_back(job("j/" + name, "conc", r));
        WriteStatus st = s.apply_documents(b);
        if (st != (fail ? WriteStatus::AlreadyExists : WriteStatus::Ok)) {
          ++wrong;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(wrong.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int r = 0; r < kRounds; ++r) {
      const std::string name = std::to_string(t) + "-" + std::to_string(r);
      const bool fail = (t + r) % 2 == 1;
      EXPECT_EQ(s.get_document(kUsers, "d/" + name).has_value(), !fail) << name;
      EXPECT_EQ(s.get_job("j/" + name).has_value(), !fail) << name;
    }
    EXPECT_EQ(s.documents_by_index(kUsers, "t" + std::to_string(t)).size(), kRounds / 2u);
  }
  EXPECT_EQ(list_all(s, kUsers, "d/", 7).size(), kThreads * kRounds / 2u);
  EXPECT_EQ(s.jobs_by_kind("conc").size(), kThreads * kRounds / 2u);
}

// --- listing -------------------------------------------------------------------------------------

TEST_P(StoreContract, ListDocumentsByPrefixTakesEveryCharacterLiterally) {
  Store& s = open();
  const std::string max_code_point = "\xF4\x8F\xBF\xBF";  // U+10FFFF, the greatest
  // In bytewise order: '%' < '*' < 'X' < '[' < '\\' < '_' < 'b', and 'e' < any UTF-8 lead byte.
  const std::vector<std::string> all = {
      "",
      "a",
      "a%",
      "a%b",
      "a%c",
      "a*b",
      "aXb",
      "a[b]",
      "a\\%",
      "a\\b",
      "a_b",
      "ab",
      "b",
      "cafe/1",
      "caf\xC3\xA9/1",  // café/1
      "caf\xC3\xA9/2",
      "caf\xC3\xAA",  // cafê
      "z" + max_code_point,
      "z" + max_code_point + "x",
      "z" + max_code_point + max_code_point,
      "{",
  };
  ASSERT_TRUE(std::is_sorted(all.begin(), all.end()));
  for (const std::string& k : all) {
    ASSERT_EQ(apply_one(s, put(doc(k, "{}"), kMustNotExist)), WriteStatus::Ok) << k;
  }
  // Another kind with the same keys stays out of every listing.
  ASSERT_EQ(apply_one(s, put(doc("a%", "{}", "", 1, 1, "iam.role"), kMustNotExist)),
            WriteStatus::Ok);

  using V = std::vector<std::string>;
  EXPECT_EQ(list_all(s, kUsers, "", 0), all) << "ordered by key, bytewise";
  EXPECT_EQ(list_all(s, kUsers, "a%", 0), (V{"a%", "a%b", "a%c"}));
  EXPECT_EQ(list_all(s, kUsers, "a_", 0), (V{"a_b"}));
  EXPECT_EQ(list_all(s, kUsers, "a*", 0), (V{"a*b"}));
  EXPECT_EQ(list_all(s, kUsers, "a\\", 0), (V{"a\\%", "a\\b"}));
  EXPECT_EQ(list_all(s, kUsers, "a[", 0), (V{"a[b]"}));
  EXPECT_EQ(list_all(s, kUsers, "a", 0),
            (V{"a", "a%", "a%b", "a%c", "a*b", "aXb", "a[b]", "a\\%", "a\\b", "a_b", "ab"}));
  EXPECT_EQ(list_all(s, kUsers, "A", 0), V{}) << "prefixes are case sensitive";
  EXPECT_EQ(list_all(s, kUsers, "caf\xC3\xA9", 0), (V{"caf\xC3\xA9/1", "caf\xC3\xA9/2"}));
  EXPECT_EQ(list_all(s, kUsers, "caf", 0),
            (V{"cafe/1", "caf\xC3\xA9/1", "caf\xC3\xA9/2", "caf\xC3\xAA"}));
  EXPECT_EQ(
      list_all(s, kUsers, "z" + max_code_point, 0),
      (V{"z" + max_code_point, "z" + max_code_point + "x", "z" + max_code_point + max_code_point}));
  EXPECT_EQ(list_all(s, kUsers, "z" + max_code_point + "x", 0), (V{"z" + max_code_point + "x"}));
  EXPECT_EQ(list_all(s, kUsers, "a%bc", 0), V{});
  EXPECT_EQ(list_all(s, kUsers, "zz", 0), V{});
  EXPECT_EQ(list_all(s, "iam.role", "a", 0), (V{"a%"}));
  EXPECT_EQ(list_all(s, "nothing", "", 0), V{});
  // The same through pages of one, so every page boundary falls on a tricky key.
  EXPECT_EQ(list_all(s, kUsers, "", 1), all);
  EXPECT_EQ(list_all(s, kUsers, "a%", 1), (V{"a%", "a%b", "a%c"}));
  EXPECT_EQ(
      list_all(s, kUsers, "z" + max_code_point, 2),
      (V{"z" + max_code_point, "z" + max_code_point + "x", "z" + max_code_point + max_code_point}));
}

TEST_P(StoreContract, ListDocumentsPages) {
  Store& s = open();
  for (const char* k :
       {"o/9", "p", "p/0", "p/1", "p/2", "p/3", "p/4", "p/5", "p/6", "p/7", "p/8", "p0", "q/0"}) {
    ASSERT_EQ(apply_one(s, put(doc(k, std::string("{\"k\":\"") + k + "\"}"), kMustNotExist)),
              WriteStatus::Ok);
  }
  using V = std::vector<std::string>;
  const V p_slash = {"p/0", "p/1", "p/2", "p/3", "p/4", "p/5", "p/6", "p/7", "p/8"};

  Page<DocumentRecord> first = s.list_documents(kUsers, "p/", "", 4);
  EXPECT_EQ(keys(first.items), (V{"p/0", "p/1", "p/2", "p/3"}));
  EXPECT_EQ(first.items[0].json, "{\"k\":\"p/0\"}");
  EXPECT_EQ(first.items[0].version, 1);
  ASSERT_FALSE(first.next_key.empty());

  // Rows inserted and deleted between pages: the next page starts strictly after the last row.
  ASSERT_EQ(apply_one(s, del("p/3", kAnyVersion)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, del("p/4", kAnyVersion)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("p/0a", "{}"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("p/4a", "{}"), kMustNotExist)), WriteStatus::Ok);
  Page<DocumentRecord> second = s.list_documents(kUsers, "p/", first.next_key, 4);
  EXPECT_EQ(keys(second.items), (V{"p/4a", "p/5", "p/6", "p/7"}));
  ASSERT_FALSE(second.next_key.empty());
  Page<DocumentRecord> third = s.list_documents(kUsers, "p/", second.next_key, 4);
  EXPECT_EQ(keys(third.items), (V{"p/8"}));
  EXPECT_EQ(third.next_key, "");
  ASSERT_EQ(apply_one(s, del("p/0a", kAnyVersion)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, del("p/4a", kAnyVersion)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("p/3", "{}"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("p/4", "{}"), kMustNotExist)), WriteStatus::Ok);

  // A page that ends exactly where the prefix ends is the last one: keys after the prefix do not
  // make a next page.
  size_t pages = 0;
  EXPECT_EQ(list_all(s, kUsers, "p/", 3, &pages), p_slash);
  EXPECT_EQ(pages, 3u);
  EXPECT_EQ(s.list_documents(kUsers, "p/", "", 9).next_key, "");
  EXPECT_EQ(s.list_documents(kUsers, "p/", "", 100).next_key, "");
  EXPECT_EQ(s.list_documents(kUsers, "p/", "", 0).items.size(), 9u);
  EXPECT_EQ(s.list_documents(kUsers, "p/", "", 0).next_key, "");
  EXPECT_EQ(list_all(s, kUsers, "p/", 2), p_slash);
  EXPECT_EQ(list_all(s, kUsers, "p", 5).size(), 11u);
  EXPECT_EQ(list_all(s, kUsers, "", 4).size(), 13u);

  // A next_key from an unfiltered listing continues a filtered one, before and past the prefix.
  Page<DocumentRecord> head = s.list_documents(kUsers, "", "", 1);  // ends at "o/9"
  ASSERT_EQ(keys(head.items), (V{"o/9"}));
  EXPECT_EQ(keys(s.list_documents(kUsers, "p/", head.next_key, 2).items), (V{"p/0", "p/1"}));
  Page<DocumentRecord> most = s.list_documents(kUsers, "", "", 12);  // ends at "p0"
  EXPECT_TRUE(s.list_documents(kUsers, "p/", most.next_key, 2).items.empty());

  // Keys this store never made.
  EXPECT_TRUE(s.list_documents(kUsers, "", "garbage", 10).items.empty());
  EXPECT_EQ(s.list_documents(kUsers, "", "garbage", 10).next_key, "");
}

TEST_P(StoreContract, ListDocumentsPagesPastAnEmptyKey) {
  Store& s = open();
  ASSERT_EQ(apply_one(s, put(doc("", "{\"empty\":true}"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("a", "{}"), kMustNotExist)), WriteStatus::Ok);
  Page<DocumentRecord> first = s.list_documents(kUsers, "", "", 1);
  ASSERT_EQ(keys(first.items), (std::vector<std::string>{""}));
  ASSERT_FALSE(first.next_key.empty()) << "an empty next_key would end the listing";
  Page<DocumentRecord> second = s.list_documents(kUsers, "", first.next_key, 1);
  EXPECT_EQ(keys(second.items), (std::vector<std::string>{"a"}));
  EXPECT_EQ(second.next_key, "");
  EXPECT_EQ(s.get_document(kUsers, "")->json, "{\"empty\":true}");
}

// --- the secondary index -------------------------------------------------------------------------

TEST_P(StoreContract, DocumentsByIndexFollowIndexChangesAndDeletes) {
  Store& s = open();
  using V = std::vector<std::string>;
  ASSERT_EQ(apply_one(s, put(doc("r3", "{}", "bus-a"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("r1", "{}", "bus-a"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("r2", "{}", "bus-b"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("r4", "{}"), kMustNotExist)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("r5", "{}", "bus-a", 1, 1, "events.bus"), kMustNotExist)),
            WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("r6", "{}", "bus-%"), kMustNotExist)), WriteStatus::Ok);

  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-a")), (V{"r1", "r3"})) << "ordered by key";
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-b")), (V{"r2"}));
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-%")), (V{"r6"})) << "exact match, no LIKE";
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-")), V{});
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "BUS-A")), V{});
  EXPECT_EQ(keys(s.documents_by_index("events.bus", "bus-a")), (V{"r5"}));
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "")), V{}) << "\"\" means not indexed";
  EXPECT_EQ(s.documents_by_index(kUsers, "bus-b")[0].version, 1);

  // Replace moves a document between index values, and into and out of the index.
  ASSERT_EQ(apply_one(s, put(doc("r1", "{\"moved\":1}", "bus-b"), 1)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("r4", "{}", "bus-a"), kAnyVersion)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, put(doc("r2", "{}", ""), kAnyVersion)), WriteStatus::Ok);
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-a")), (V{"r3", "r4"}));
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-b")), (V{"r1"}));
  EXPECT_EQ(s.documents_by_index(kUsers, "bus-b")[0].json, "{\"moved\":1}");
  EXPECT_EQ(s.documents_by_index(kUsers, "bus-b")[0].version, 2);

  ASSERT_EQ(apply_one(s, del("r3", kAnyVersion)), WriteStatus::Ok);
  ASSERT_EQ(apply_one(s, del("r1", 2)), WriteStatus::Ok);
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-a")), (V{"r4"}));
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-b")), V{});
  // A failed replace leaves the index as it was.
  EXPECT_EQ(apply_one(s, put(doc("r4", "{}", "bus-b"), 9)), WriteStatus::ConditionFailed);
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "bus-a")), (V{"r4"}));
}

// --- concurrency ---------------------------------------------------------------------------------

// 16 threads increment one counter document by read-modify-write under version checks, retrying
// on ConditionFailed. No increment may be lost or doubled.
TEST_P(StoreContract, SixteenThreadsReadModifyWriteOneDocument) {
  Store& s = open();
  constexpr int kThreads = 16;
  constexpr int kAttempts = 25;
  ASSERT_EQ(apply_one(s, put(doc("counter", "0"), kMustNotExist)), WriteStatus::Ok);

  std::latch go(kThreads);
  std::atomic<int> successes{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      go.arrive_and_wait();
      for (int i = 0; i < kAttempts; ++i) {
        auto current = s.get_document(kUsers, "counter");
        if (!current) {
          ++unexpected;
          return;
        }
        const int64_t n = std::stoll(current->json);
        DocumentBatch b;
        b.writes.push_back(
            put(doc("counter", std::to_string(n + 1), "", 0, n + 1), current->version));
        // The job rides along: it must exist exactly for the successful writes.
        b.jobs_to_put.push_back(
            job("inc/" + std::to_string(n + 1), "counter", n + 1, std::to_string(t)));
        WriteStatus st = s.apply_documents(b);
        if (st == WriteStatus::Ok) {
          ++successes;
        } else if (st == WriteStatus::ConditionFailed) {
          ++conflicts;
        } else {
          ++unexpected;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(successes.load() + conflicts.load(), kThreads * kAttempts);
  EXPECT_GE(successes.load(), kAttempts) << "at least one thread wins each round";
  auto final_doc = s.get_document(kUsers, "counter");
  ASSERT_TRUE(final_doc);
  EXPECT_EQ(std::stoll(final_doc->json), successes.load());
  EXPECT_EQ(final_doc->version, successes.load() + 1);
  EXPECT_EQ(final_doc->created_ms, 100);
  auto jobs = s.jobs_by_kind("counter");
  ASSERT_EQ(jobs.size(), static_cast<size_t>(successes.load()));
  for (size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(jobs[i].due_ms, static_cast<int64_t>(i + 1)) << "one job per increment, no gaps";
  }
}

// --- durability ----------------------------------------------------------------------------------

TEST_P(StoreContract, DocumentsSurviveReopen) {
  {
    Store& s = open();
    DocumentBatch b;
    b.writes.push_back(put(doc("u1", "{\"name\":\"u1\"}", "g", 10, 10), kMustNotExist));
    b.writes.push_back(put(doc("u2", "{\"name\":\"u2\"}", "g", 11, 11), kMustNotExist));
    b.writes.push_back(put(doc("u3", "{}", "", 12, 12), kMustNotExist));
    b.jobs_to_put.push_back(job("welcome/u1", "mail", 500, "u1"));
    ASSERT_EQ(s.apply_documents(b), WriteStatus::Ok);
    ASSERT_EQ(apply_one(s, put(doc("u1", "{\"name\":\"u1b\"}", "h", 99, 20), 1)), WriteStatus::Ok);
    ASSERT_EQ(apply_one(s, del("u3", 1)), WriteStatus::Ok);
    close_store();
  }
  Store& s = open();
  auto u1 = s.get_document(kUsers, "u1");
  ASSERT_TRUE(u1);
  EXPECT_EQ(u1->json, "{\"name\":\"u1b\"}");
  EXPECT_EQ(u1->index, "h");
  EXPECT_EQ(u1->version, 2);
  EXPECT_EQ(u1->created_ms, 10);
  EXPECT_EQ(u1->updated_ms, 20);
  EXPECT_FALSE(s.get_document(kUsers, "u3"));
  EXPECT_EQ(keys(s.list_documents(kUsers, "u", "", 0).items),
            (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "g")), (std::vector<std::string>{"u2"}));
  EXPECT_EQ(keys(s.documents_by_index(kUsers, "h")), (std::vector<std::string>{"u1"}));
  EXPECT_EQ(ids(s.due_jobs("mail", 500, 10)), (std::vector<std::string>{"welcome/u1"}));
  // Versions carry on across the reopen.
  EXPECT_EQ(apply_one(s, put(doc("u1", "{}"), 1)), WriteStatus::ConditionFailed);
  EXPECT_EQ(apply_one(s, put(doc("u1", "{}"), 2)), WriteStatus::Ok);
  EXPECT_EQ(s.get_document(kUsers, "u1")->version, 3);
}

// --- due_jobs ------------------------------------------------------------------------------------

TEST_P(StoreContract, DueJobsOldestFirstWithinKindUpToLimit) {
  Store& s = open();
  s.put_job(job("c", "sns.delivery", 30));
  s.put_job(job("a", "sns.delivery", 30));
  s.put_job(job("b", "sns.delivery", 10));
  s.put_job(job("d", "sns.delivery", 31));
  s.put_job(job("e", "sns.delivery", 0));
  s.put_job(job("f", "mail", 5));
  JobRecord claimed = job("g", "sns.delivery", 20);
  claimed.claimed_by = "worker";
  s.put_job(claimed);

  using V = std::vector<std::string>;
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 30, 100)), (V{"e", "b", "g", "a", "c"}))
      << "due_ms <= before_ms, then by id";
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 30, 3)), (V{"e", "b", "g"}));
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 30, 4)), (V{"e", "b", "g", "a"}));
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 30, 1)), (V{"e"}));
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 30, 0)), (V{"e", "b", "g", "a", "c"})) << "0: no limit";
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 29, 100)), (V{"e", "b", "g"}));
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 0, 100)), (V{"e"}));
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", -1, 100)), V{});
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", INT64_MAX, 100)), (V{"e", "b", "g", "a", "c", "d"}));
  EXPECT_EQ(ids(s.due_jobs("mail", 1000, 100)), (V{"f"}));
  EXPECT_EQ(ids(s.due_jobs("none", 1000, 100)), V{});
  auto first = s.due_jobs("sns.delivery", 30, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].payload, R"({"id":"e"})");

  // Deleted and rescheduled jobs drop out or move.
  ASSERT_EQ(s.delete_job("e"), WriteStatus::Ok);
  JobRecord later = *s.get_job("b");
  later.due_ms = 1000;
  s.put_job(later);
  EXPECT_EQ(ids(s.due_jobs("sns.delivery", 30, 100)), (V{"g", "a", "c"}));
}

}  // namespace
}  // namespace signoff::store::testing
