// A minimal XML writer for query-protocol responses: elements and escaped text, nothing else
// (AWS's query responses use no attributes except the root's xmlns).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace signoff::api {

// Escapes &, <, >, " and ' and drops characters XML 1.0 cannot carry (control characters other
// than tab, CR and LF, and invalid UTF-8 bytes), so any stored string renders as well-formed XML.
void xml_escape_to(std::string_view text, std::string& out);
std::string xml_escape(std::string_view text);

class XmlWriter {
 public:
  // <name> (with xmlns="..." when given); must be matched by close().
  XmlWriter& open(std::string_view name, std::string_view xmlns = {});
  XmlWriter& close();
  // <name>escaped text</name>
  XmlWriter& element(std::string_view name, std::string_view text);
  // Pre-rendered XML (another writer's output), inserted as is.
  XmlWriter& raw(std::string_view xml);

  // The document so far; open elements are closed first.
  std::string finish();
  const std::string& str() const { return out_; }

 private:
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace signoff::api
