// SSM documents: one "ssm.document" row per name (owner, type, latest and default version,
// tags) and one immutable "ssm.document-version" row per version, indexed by name#hash so
// DuplicateDocumentContent is one lookup. Versions are numbered under docs_mu.
#include <algorithm>

#include "automation/audit.h"
#include "automation/impl.h"
#include "automation/yaml.h"
#include "store/page_key.h"

namespace signoff::automation {

namespace {

Error no_document() {
  return make_error("InvalidDocument", "The specified document does not exist.");
}
Error bad_version() {
  return make_error("InvalidDocumentVersion",
                    "The document version is not valid or does not exist.");
}

struct Loaded {
  store::DocumentRecord rec;
  json::Value doc;
};

std::optional<Loaded> load_doc(store::Store& store, const std::string& name) {
  auto rec = store.get_document(kDocumentKind, name);
  if (!rec) {
    return std::nullopt;
  }
  auto p = json::parse(rec->json);
  if (!p.ok()) {
    return std::nullopt;
  }
  return Loaded{*rec, p.value};
}

std::vector<Loaded> load_versions(store::Store& store, const std::string& name) {
  std::vector<Loaded> out;
  std::string after;
  while (true) {
    auto page = store.list_documents(kVersionKind, name + "/", after, 200);
    for (auto& r : page.items) {
      auto p = json::parse(r.json);
      if (p.ok()) {
        out.push_back(Loaded{r, p.value});
      }
    }
    if (page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  return out;
}

json::Value parameters_wire(const Document& d) {
  std::vector<json::Value> out;
  for (const ParameterDef& p : d.parameters) {
    json::Value item = json::Value::object({{"Name", json::Value(p.name)},
                                            {"Type", json::Value(p.type)},
                                            {"Description", json::Value(p.description)}});
    if (p.default_value) {
      item.set("DefaultValue", p.default_value->is_string()
                                   ? *p.default_value
                                   : json::Value(json::dump(*p.default_value)));
    }
    out.push_back(std::move(item));
  }
  return json::Value::array(std::move(out));
}

json::Value tags_wire(const json::Value& doc) {
  const json::Value* t = doc.find("Tags");
  return t ? *t : json::Value::array();
}

json::Value platform_types() {
  return json::Value::array({json::Value("Windows"), json::Value("Linux"), json::Value("MacOS")});
}

json::Value description_of(const json::Value& doc, const json::Value& ver,
                           const std::string& status) {
  std::vector<json::Member> m;
  m.push_back({"Hash", json::Value(text_of(ver, "Hash"))});
  m.push_back({"HashType", json::Value("Sha256")});
  m.push_back({"Name", json::Value(text_of(doc, "Name"))});
  if (!text_of(doc, "DisplayName").empty()) {
    m.push_back({"DisplayName", json::Value(text_of(doc, "DisplayName"))});
  }
  if (!text_of(ver, "VersionName").empty()) {
    m.push_back({"VersionName", json::Value(text_of(ver, "VersionName"))});
  }
  m.push_back({"Owner", json::Value(text_of(doc, "Owner"))});
  m.push_back({"CreatedDate", epoch_seconds(int_of(ver, "CreatedDate"))});
  m.push_back({"Status", json::Value(status)});
  m.push_back({"DocumentVersion", json::Value(text_of(ver, "DocumentVersion"))});
  if (!text_of(ver, "Description").empty()) {
    m.push_back({"Description", json::Value(text_of(ver, "Description"))});
  }
  m.push_back(
      {"Parameters", ver.find("Parameters") ? *ver.find("Parameters") : json::Value::array()});
  m.push_back({"PlatformTypes", platform_types()});
  m.push_back({"DocumentType", json::Value(text_of(doc, "DocumentType"))});
  m.push_back({"SchemaVersion", json::Value(text_of(ver, "SchemaVersion"))});
  m.push_back({"LatestVersion", json::Value(std::to_string(int_of(doc, "LatestVersion")))});
  m.push_back({"DefaultVersion", json::Value(std::to_string(int_of(doc, "DefaultVersion")))});
  m.push_back({"DocumentFormat", json::Value(text_of(ver, "DocumentFormat"))});
  if (!text_of(doc, "TargetType").empty()) {
    m.push_back({"TargetType", json::Value(text_of(doc, "TargetType"))});
  }
  m.push_back({"Tags", tags_wire(doc)});
  m.push_back({"Category", json::Value::array()});
  m.push_back({"CategoryEnum", json::Value::array()});
  return json::Value::object(std::move(m));
}

store::DocumentWrite write_of(const char* kind, const std::string& key, const json::Value& v,
                              std::string index, int64_t expected, int64_t now) {
  store::DocumentWrite w;
  w.doc.kind = kind;
  w.doc.key = key;
  w.doc.json = json::dump(v);
  w.doc.index = std::move(index);
  w.doc.created_ms = now;
  w.doc.updated_ms = now;
  w.expected_version = expected;
  return w;
}

json::Value make_version(const std::string& name, int64_t number, const std::string& version_name,
                         const std::string& content, const std::string& format,
                         const Document& parsed, int64_t now) {
  return json::Value::object({
      {"Name", json::Value(name)},
      {"DocumentVersion", json::Value(std::to_string(number))},
      {"VersionName", json::Value(version_name)},
      {"Content", json::Value(content)},
      {"DocumentFormat", json::Value(format)},
      {"Hash", json::Value(sha256_hex(content))},
      {"CreatedDate", json::Value(now)},
      {"Description", json::Value(parsed.description)},
      {"SchemaVersion", json::Value(parsed.schema_version)},
      {"Parameters", parameters_wire(parsed)},
  });
}

Result<Loaded> select_version(store::Store& store, const Loaded& doc, const DocumentSelector& s) {
  std::string v = s.version;
  if (!s.version_name.empty()) {
    for (Loaded& l : load_versions(store, s.name)) {
      if (text_of(l.doc, "VersionName") == s.version_name &&
          (v.empty() || v == text_of(l.doc, "DocumentVersion") || v == "$LATEST" ||
           v == "$DEFAULT")) {
        return l;
      }
    }
    return bad_version();
  }
  int64_t n = 0;
  if (v.empty() || v == "$DEFAULT") {
    n = int_of(doc.doc, "DefaultVersion");
  } else if (v == "$LATEST") {
    n = int_of(doc.doc, "LatestVersion");
  } else if (v.find_first_not_of("0123456789") == std::string::npos && v.size() < 10) {
    n = std::stoll(v);
  } else {
    return bad_version();
  }
  auto rec = store.get_document(kVersionKind, version_key(s.name, n));
  if (!rec) {
    return bad_version();
  }
  auto p = json::parse(rec->json);
  if (!p.ok()) {
    return bad_version();
  }
  return Loaded{*rec, p.value};
}

std::string normalized_format(const std::string& f) {
  return f.empty() ? "JSON" : f;
}

}  // namespace

Result<json::Value> AutomationService::create_document(const CreateDocumentRequest& r,
                                                       const Principal&) {
  Impl& m = *impl_;
  if (r.document_type != "Automation") {
    return make_error("InvalidDocumentType",
                      "Signoff implements only documents of type Automation.");
  }
  std::string format = normalized_format(r.document_format);
  auto parsed = parse_document(r.content, format);
  if (!parsed.ok()) {
    return parsed.error();
  }
  std::lock_guard<std::mutex> g(m.docs_mu);
  if (m.store.get_document(kDocumentKind, r.name)) {
    return make_error("DocumentAlreadyExists",
                      "Document with same name " + r.name + " already exists");
  }
  int64_t now = m.clock.now_ms();
  std::vector<json::Value> tags;
  for (const DocumentTag& t : r.tags) {
    tags.push_back(
        json::Value::object({{"Key", json::Value(t.key)}, {"Value", json::Value(t.value)}}));
  }
  json::Value doc = json::Value::object({
      {"Name", json::Value(r.name)},
      {"Owner", json::Value(m.opts.account)},
      {"CreatedDate", json::Value(now)},
      {"DocumentType", json::Value(r.document_type)},
      {"LatestVersion", json::Value(1)},
      {"DefaultVersion", json::Value(1)},
      {"DisplayName", json::Value(r.display_name)},
      {"TargetType", json::Value(r.target_type)},
      {"Tags", json::Value::array(std::move(tags))},
  });
  json::Value ver = make_version(r.name, 1, r.version_name, r.content, format, *parsed, now);
  store::DocumentBatch batch;
  batch.writes.push_back(write_of(kDocumentKind, r.name, doc, "", store::kMustNotExist, now));
  batch.writes.push_back(write_of(kVersionKind, version_key(r.name, 1), ver,
                                  r.name + "#" + text_of(ver, "Hash"), store::kMustNotExist, now));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return make_error("DocumentAlreadyExists",
                      "Document with same name " + r.name + " already exists");
  }
  // AWS answers "Creating" and turns Active once processed; here processing is instant.
  return description_of(doc, ver, "Creating");
}

Result<json::Value> AutomationService::update_document(const UpdateDocumentRequest& r) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> g(m.docs_mu);
  auto doc = load_doc(m.store, r.name);
  if (!doc) {
    return no_document();
  }
  int64_t latest = int_of(doc->doc, "LatestVersion");
  if (!r.document_version.empty() && r.document_version != "$LATEST" &&
      r.document_version != std::to_string(latest)) {
    return make_error("InvalidDocumentVersion",
                      "The document version is not valid or does not exist. Only the latest "
                      "version of a document can be updated.");
  }
  std::string format = normalized_format(r.document_format);
  auto parsed = parse_document(r.content, format);
  if (!parsed.ok()) {
    return parsed.error();
  }
  std::string hash = sha256_hex(r.content);
  if (!m.store.documents_by_index(kVersionKind, r.name + "#" + hash).empty()) {
    return make_error("DuplicateDocumentContent",
                      "The content of the association document matches another document. Change "
                      "the content of the document and try again.");
  }
  if (!r.version_name.empty()) {
    for (const Loaded& l : load_versions(m.store, r.name)) {
      if (text_of(l.doc, "VersionName") == r.version_name) {
        return make_error("DuplicateDocumentVersionName",
                          "The version name has already been used in this document. Specify a "
                          "different version name, and then try again.");
      }
    }
  }
  if (latest >= 1000) {
    return make_error("DocumentVersionLimitExceeded",
                      "The document has too many versions. Delete one or more document versions "
                      "and try again.");
  }
  int64_t now = m.clock.now_ms();
  json::Value updated = doc->doc;
  updated.set("LatestVersion", json::Value(latest + 1));
  if (!r.display_name.empty()) {
    updated.set("DisplayName", json::Value(r.display_name));
  }
  if (!r.target_type.empty()) {
    updated.set("TargetType", json::Value(r.target_type));
  }
  json::Value ver =
      make_version(r.name, latest + 1, r.version_name, r.content, format, *parsed, now);
  store::DocumentBatch batch;
  batch.writes.push_back(
      write_of(kDocumentKind, r.name, updated, "", doc->rec.version, doc->rec.created_ms));
  batch.writes.push_back(write_of(kVersionKind, version_key(r.name, latest + 1), ver,
                                  r.name + "#" + hash, store::kMustNotExist, now));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return make_error("InvalidDocument", "The document changed during the update; try again.");
  }
  return description_of(updated, ver, "Updating");
}

Result<json::Value> AutomationService::update_default_version(const std::string& name,
                                                              const std::string& version) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> g(m.docs_mu);
  auto doc = load_doc(m.store, name);
  if (!doc) {
    return no_document();
  }
  auto ver = select_version(m.store, *doc, DocumentSelector{name, version, ""});
  if (!ver.ok() || version.empty() || version[0] == '$') {
    return bad_version();
  }
  json::Value updated = doc->doc;
  updated.set("DefaultVersion",
              json::Value(static_cast<int64_t>(std::stoll(text_of(ver->doc, "DocumentVersion")))));
  store::DocumentBatch batch;
  batch.writes.push_back(
      write_of(kDocumentKind, name, updated, "", doc->rec.version, doc->rec.created_ms));
  if (m.store.apply_documents(batch) != store::WriteStatus::Ok) {
    return no_document();
  }
  json::Value desc =
      json::Value::object({{"Name", json::Value(name)},
                           {"DefaultVersion", json::Value(text_of(ver->doc, "DocumentVersion"))}});
  if (!text_of(ver->doc, "VersionName").empty()) {
    desc.set("DefaultVersionName", json::Value(text_of(ver->doc, "VersionName")));
  }
  return json::Value::object({{"Description", desc}});
}

Result<json::Value> AutomationService::describe_document(const DocumentSelector& s) {
  Impl& m = *impl_;
  auto doc = load_doc(m.store, s.name);
  if (!doc) {
    return no_document();
  }
  auto ver = select_version(m.store, *doc, s);
  if (!ver.ok()) {
    return ver.error();
  }
  return description_of(doc->doc, ver->doc, "Active");
}

Result<json::Value> AutomationService::get_document(const DocumentSelector& s,
                                                    const std::string& format) {
  Impl& m = *impl_;
  auto doc = load_doc(m.store, s.name);
  if (!doc) {
    return no_document();
  }
  auto ver = select_version(m.store, *doc, s);
  if (!ver.ok()) {
    return ver.error();
  }
  std::string stored_format = text_of(ver->doc, "DocumentFormat");
  std::string content = text_of(ver->doc, "Content");
  std::string out_format = format.empty() ? stored_format : format;
  if (out_format != stored_format) {
    auto parsed = parse_content(content, stored_format);
    if (!parsed.ok()) {
      return parsed.error();
    }
    content = out_format == "YAML" ? to_yaml(*parsed) : json::dump(*parsed);
  }
  std::vector<json::Member> mem;
  mem.push_back({"Name", json::Value(s.name)});
  mem.push_back({"CreatedDate", epoch_seconds(int_of(ver->doc, "CreatedDate"))});
  if (!text_of(doc->doc, "DisplayName").empty()) {
    mem.push_back({"DisplayName", json::Value(text_of(doc->doc, "DisplayName"))});
  }
  if (!text_of(ver->doc, "VersionName").empty()) {
    mem.push_back({"VersionName", json::Value(text_of(ver->doc, "VersionName"))});
  }
  mem.push_back({"DocumentVersion", json::Value(text_of(ver->doc, "DocumentVersion"))});
  mem.push_back({"Status", json::Value("Active")});
  mem.push_back({"Content", json::Value(content)});
  mem.push_back({"DocumentType", json::Value(text_of(doc->doc, "DocumentType"))});
  mem.push_back({"DocumentFormat", json::Value(out_format)});
  return json::Value::object(std::move(mem));
}

Result<json::Value> AutomationService::list_documents(const std::vector<ListFilter>& filters,
                                                      const std::string& next_token,
                                                      size_t max_results) {
  Impl& m = *impl_;
  std::vector<json::Value> all;
  std::string after = next_token.empty() ? "" : store::encode_key(next_token);
  bool more = false;
  std::string last;
  while (true) {
    auto page = m.store.list_documents(kDocumentKind, "", after, 200);
    for (const store::DocumentRecord& r : page.items) {
      auto p = json::parse(r.json);
      if (!p.ok()) {
        continue;
      }
      const json::Value& d = p.value;
      bool keep = true;
      for (const ListFilter& f : filters) {
        auto any = [&](auto pred) {
          return std::any_of(f.values.begin(), f.values.end(), pred);
        };
        std::string name = text_of(d, "Name");
        if (f.key == "Name") {
          keep = keep && any([&](const std::string& v) { return name.rfind(v, 0) == 0; });
        } else if (f.key == "SearchKeyword") {
          keep =
              keep && any([&](const std::string& v) { return name.find(v) != std::string::npos; });
        } else if (f.key == "Owner") {
          keep = keep && any([&](const std::string& v) {
                   return v == "Self" || v == "Private" || v == "All" || v == text_of(d, "Owner");
                 });
        } else if (f.key == "DocumentType") {
          keep = keep && any([&](const std::string& v) { return v == text_of(d, "DocumentType"); });
        } else if (f.key == "PlatformTypes") {
          keep = keep && any([&](const std::string& v) {
                   return v == "Windows" || v == "Linux" || v == "MacOS";
                 });
        } else if (f.key == "TargetType") {
          keep = keep && any([&](const std::string& v) { return v == text_of(d, "TargetType"); });
        } else if (f.key.rfind("tag:", 0) == 0 || f.key == "TagKeys") {
          std::string tag = f.key == "TagKeys" ? "" : f.key.substr(4);
          bool found = false;
          json::Value doc_tags = tags_wire(d);
          for (const json::Value& t : doc_tags.as_array()) {
            std::string k = text_of(t, "Key");
            if (f.key == "TagKeys") {
              found = found || std::find(f.values.begin(), f.values.end(), k) != f.values.end();
            } else if (k == tag) {
              found = found || f.values.empty() ||
                      std::find(f.values.begin(), f.values.end(), text_of(t, "Value")) !=
                          f.values.end();
            }
          }
          keep = keep && found;
        }
      }
      if (!keep) {
        continue;
      }
      if (all.size() == max_results) {
        more = true;
        break;
      }
      auto ver =
          m.store.get_document(kVersionKind, version_key(r.key, int_of(d, "DefaultVersion")));
      json::Value vd = ver ? json::parse(ver->json).value : json::Value::object();
      std::vector<json::Member> mem;
      mem.push_back({"Name", json::Value(text_of(d, "Name"))});
      mem.push_back({"CreatedDate", epoch_seconds(int_of(d, "CreatedDate"))});
      if (!text_of(d, "DisplayName").empty()) {
        mem.push_back({"DisplayName", json::Value(text_of(d, "DisplayName"))});
      }
      mem.push_back({"Owner", json::Value(text_of(d, "Owner"))});
      if (!text_of(vd, "VersionName").empty()) {
        mem.push_back({"VersionName", json::Value(text_of(vd, "VersionName"))});
      }
      mem.push_back({"PlatformTypes", platform_types()});
      mem.push_back({"DocumentVersion", json::Value(text_of(vd, "DocumentVersion"))});
      mem.push_back({"DocumentType", json::Value(text_of(d, "DocumentType"))});
      mem.push_back({"SchemaVersion", json::Value(text_of(vd, "SchemaVersion"))});
      mem.push_back({"DocumentFormat", json::Value(text_of(vd, "DocumentFormat"))});
      if (!text_of(d, "TargetType").empty()) {
        mem.push_back({"TargetType", json::Value(text_of(d, "TargetType"))});
      }
      mem.push_back({"Tags", tags_wire(d)});
      all.push_back(json::Value::object(std::move(mem)));
      last = r.key;
    }
    if (more || page.next_key.empty()) {
      break;
    }
    after = page.next_key;
  }
  json::Value out = json::Value::object({{"DocumentIdentifiers", json::Value::array(all)}});
  if (more) {
    out.set("NextToken", json::Value(last));
  }
  return out;
}

Result<json::Value> AutomationService::list_document_versions(const std::string& name,
                                                              const std::string& next_token,
                                                              size_t max_results) {
  Impl& m = *impl_;
  auto doc = load_doc(m.store, name);
  if (!doc) {
    return no_document();
  }
  int64_t def = int_of(doc->doc, "DefaultVersion");
  std::vector<json::Value> items;
  bool more = false;
  std::string last;
  for (const Loaded& l : load_versions(m.store, name)) {
    if (!next_token.empty() && l.rec.key <= next_token) {
      continue;
    }
    if (items.size() == max_results) {
      more = true;
      break;
    }
    std::vector<json::Member> mem;
    mem.push_back({"Name", json::Value(name)});
    mem.push_back({"DocumentVersion", json::Value(text_of(l.doc, "DocumentVersion"))});
    if (!text_of(l.doc, "VersionName").empty()) {
      mem.push_back({"VersionName", json::Value(text_of(l.doc, "VersionName"))});
    }
    mem.push_back({"CreatedDate", epoch_seconds(int_of(l.doc, "CreatedDate"))});
    mem.push_back({"IsDefaultVersion",
                   json::Value(text_of(l.doc, "DocumentVersion") == std::to_string(def))});
    mem.push_back({"DocumentFormat", json::Value(text_of(l.doc, "DocumentFormat"))});
    mem.push_back({"Status", json::Value("Active")});
    items.push_back(json::Value::object(std::move(mem)));
    last = l.rec.key;
  }
  json::Value out = json::Value::object({{"DocumentVersions", json::Value::array(items)}});
  if (more) {
    out.set("NextToken", json::Value(last));
  }
  return out;
}

Result<Unit> AutomationService::delete_document(const DocumentSelector& s, bool) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> g(m.docs_mu);
  auto doc = load_doc(m.store, s.name);
  if (!doc) {
    return no_document();
  }
  store::DocumentBatch batch;
  auto del = [&](const char* kind, const std::string& key) {
    store::DocumentWrite w;
    w.op = store::DocumentWrite::Op::Delete;
    w.doc.kind = kind;
    w.doc.key = key;
    batch.writes.push_back(std::move(w));
  };
  if (!s.version.empty() || !s.version_name.empty()) {
    auto ver = select_version(m.store, *doc, s);
    if (!ver.ok()) {
      return ver.error();
    }
    std::string n = text_of(ver->doc, "DocumentVersion");
    if (n == std::to_string(int_of(doc->doc, "DefaultVersion"))) {
      return make_error("InvalidDocumentOperation",
                        "You attempted to delete the default version of a document. Delete the "
                        "document instead.");
    }
    del(kVersionKind, ver->rec.key);
  } else {
    for (const Loaded& l : load_versions(m.store, s.name)) {
      del(kVersionKind, l.rec.key);
    }
    del(kDocumentKind, s.name);
  }
  m.store.apply_documents(batch);
  return Unit{};
}

Result<Unit> AutomationService::add_document_tags(const std::string& name,
                                                  const std::vector<DocumentTag>& tags) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> g(m.docs_mu);
  auto doc = load_doc(m.store, name);
  if (!doc) {
    return make_error("InvalidResourceId",
                      "The resource ID is not valid. Verify that you "
                      "entered the correct ID and try again.");
  }
  json::Value list = tags_wire(doc->doc);
  for (const DocumentTag& t : tags) {
    bool replaced = false;
    for (json::Value& e : list.mutable_array()) {
      if (text_of(e, "Key") == t.key) {
        e.set("Value", json::Value(t.value));
        replaced = true;
      }
    }
    if (!replaced) {
      list.push_back(
          json::Value::object({{"Key", json::Value(t.key)}, {"Value", json::Value(t.value)}}));
    }
  }
  json::Value updated = doc->doc;
  updated.set("Tags", list);
  store::DocumentBatch batch;
  batch.writes.push_back(
      write_of(kDocumentKind, name, updated, "", doc->rec.version, doc->rec.created_ms));
  m.store.apply_documents(batch);
  return Unit{};
}

Result<Unit> AutomationService::remove_document_tags(const std::string& name,
                                                     const std::vector<std::string>& keys) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> g(m.docs_mu);
  auto doc = load_doc(m.store, name);
  if (!doc) {
    return make_error("InvalidResourceId",
                      "The resource ID is not valid. Verify that you "
                      "entered the correct ID and try again.");
  }
  std::vector<json::Value> kept;
  json::Value doc_tags = tags_wire(doc->doc);
  for (const json::Value& e : doc_tags.as_array()) {
    if (std::find(keys.begin(), keys.end(), text_of(e, "Key")) == keys.end()) {
      kept.push_back(e);
    }
  }
  json::Value updated = doc->doc;
  updated.set("Tags", json::Value::array(std::move(kept)));
  store::DocumentBatch batch;
  batch.writes.push_back(
      write_of(kDocumentKind, name, updated, "", doc->rec.version, doc->rec.created_ms));
  m.store.apply_documents(batch);
  return Unit{};
}

Result<std::vector<DocumentTag>> AutomationService::document_tags(const std::string& name) {
  auto doc = load_doc(impl_->store, name);
  if (!doc) {
    return make_error("InvalidResourceId",
                      "The resource ID is not valid. Verify that you "
                      "entered the correct ID and try again.");
  }
  std::vector<DocumentTag> out;
  json::Value doc_tags = tags_wire(doc->doc);
  for (const json::Value& e : doc_tags.as_array()) {
    out.push_back(DocumentTag{text_of(e, "Key"), text_of(e, "Value")});
  }
  return out;
}

}  // namespace signoff::automation
