#include "asl/jsonpath.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace signoff::asl {
namespace {

json::Value parse(std::string_view text) {
  json::ParseResult r = json::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error;
  return r.value;
}

class MapVariables : public VariableLookup {
 public:
  std::map<std::string, json::Value, std::less<>> vars;
  const json::Value* lookup(std::string_view name) const override {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : &it->second;
  }
};

const char* kStore = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
       "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord",
       "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "n": [3, 1, 2],
  "users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}],
  "a-b": {"c d": 1},
  "Test\\\"\"Name\"": "Value\"\\",
  "empty": {}
})";

struct SelectCase {
  const char* path;
  const char* expected;  // JSON text, or nullptr for "no result"
};

const SelectCase kSelectCases[] = {
    {"$", nullptr},  // checked separately (whole document)
    {"$.expensive", "10"},
    {"$['expensive']", "10"},
    {"$[\"expensive\"]", "10"},
    {"$.store.bicycle.color", "\"red\""},
    {"$.store.book[0].author", "\"Nigel Rees\""},
    {"$.store.book[-1].title", "\"The Lord\""},
    {"$.store.book[-4].title", "\"Sayings\""},
    {"$.store.book[-5]", nullptr},
    {"$.store.book[4]", nullptr},
    {"$.missing", nullptr},
    {"$.store.missing.deeper", nullptr},
    {"$.expensive.x", nullptr},
    {"$.n[0].x", nullptr},
    {"$.store.bicycle[0]", nullptr},
    {"$.a-b['c d']", "1"},
    {"$['Test\\\"\"Name\"']", "\"Value\\\"\\\\\""},
    {"$.n[*]", "[3,1,2]"},
    {"$.n.*", "[3,1,2]"},
    {"$.store.bicycle.*", "[\"red\",19.95]"},
    {"$.n[1:]", "[1,2]"},
    {"$.n[:1]", "[3]"},
    {"$.n[-2:]", "[1,2]"},
    {"$.n[0:10]", "[3,1,2]"},
    {"$.n[2:1]", "[]"},
    {"$.n[0,2]", "[3,2]"},
    {"$.n[0,7]", "[3]"},
    {"$.store.bicycle['color','price']", "{\"color\":\"red\",\"price\":19.95}"},
    {"$.store.bicycle['color','nope']", "{\"color\":\"red\"}"},
    {"$.store.book[*].author",
     "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]"},
    {"$.store.book[*].isbn", "[\"0-553-21311-3\",\"0-395-19395-8\"]"},
    {"$..author", "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]"},
    {"$.store..price", "[8.95,12.99,8.99,22.99,19.95]"},
    {"$..book[2].title", "[\"Moby Dick\"]"},
    {"$..book[-1:].title", "[\"The Lord\"]"},
    {"$..n[0]", "[3]"},
    {"$.store.book[?(@.isbn)].title", "[\"Moby Dick\",\"The Lord\"]"},
    {"$.store.book[?(!@.isbn)].title", "[\"Sayings\",\"Sword\"]"},
    {"$.store.book[?(@.price < 10)].title", "[\"Sayings\",\"Moby Dick\"]"},
    {"$.store.book[?(@.price <= 8.99)].title", "[\"Sayings\",\"Moby Dick\"]"},
    {"$.store.book[?(@.price > $.expensive)].title", "[\"Sword\",\"The Lord\"]"},
    {"$.store.book[?(@.category == 'reference')].price", "[8.95]"},
    {"$.store.book[?(@.category != 'fiction')].price", "[8.95]"},
    {"$.store.book[?(@.category == \"fiction\" && @.price > 20)].title", "[\"The Lord\"]"},
    {"$.store.book[?(@.price < 9 || @.price > 20)].title",
     "[\"Sayings\",\"Moby Dick\",\"The Lord\"]"},
    {"$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].title",
     "[\"Moby Dick\",\"The Lord\"]"},
    {"$.store.book[?(@.author in ['Nigel Rees', 'Evelyn Waugh'])].price", "[8.95,12.99]"},
    {"$.store.book[?(@.author nin ['Nigel Rees', 'Evelyn Waugh'])].price", "[8.99,22.99]"},
    {"$.store.book[?(@.title size 5)].title", "[\"Sword\"]"},
    {"$.users[?(@.status == 0)]", "[{\"year\":1997,\"status\":0}]"},
    {"$.users[?(@.status == '0')].year", "[1997]"},
    {"$.n[?(@ > 1)]", "[3,2]"},
    {"$.store.book[?(@.title.length() > 5)].title", "[\"Sayings\",\"Moby Dick\",\"The Lord\"]"},
    {"$.store.book[?(@.price > 10 && !(@.category == 'fiction' && @.price > 20))].title",
     "[\"Sword\"]"},
    {"$.users[?(@.status in [1, 2])].year", "[1998]"},
    {"$.store.book[?(@.author contains 'Mel')].price", "[8.99]"},
    {"$.store.book[?(@.isbn empty false)].price", "[8.99,22.99]"},
    {"$..[?(@.color)].price", "[19.95]"},
    {"$.missing[*]", "[]"},
    {"$.missing[1:5]", "[]"},
    {"$.missing..x", "[]"},
    {"$.n.length()", "3"},
    {"$.store.book.length()", "4"},
    {"$.store.bicycle.color.length()", "3"},
    {"$.n.min()", "1.0"},
    {"$.n.max()", "3.0"},
    {"$.n.sum()", "6.0"},
    {"$.n.avg()", "2.0"},
    {"$.n.first()", "3"},
    {"$.n.last()", "2"},
    {"$.store.bicycle.keys()", "[\"color\",\"price\"]"},
    {"$..price.sum()", "73.87"},
    {"$.expensive.length()", nullptr},
    {"$.empty.*", "[]"},
    {"$$.Execution.Id", "\"exec-1\""},
    {"$$", "{\"Execution\":{\"Id\":\"exec-1\"}}"},
    {"$var", "{\"k\":[5,6]}"},
    {"$var.k[1]", "6"},
    {"$var.k[*]", "[5,6]"},
    {"$nosuch", nullptr},
    {"$nosuch[*]", "[]"},
    {"  $.expensive  ", "10"},
};

TEST(JsonPath, SelectsLikeJayway) {
  json::Value input = parse(kStore);
  json::Value context = parse(R"({"Execution":{"Id":"exec-1"}})");
  MapVariables vars;
  vars.vars.emplace("var", parse(R"({"k":[5,6]})"));
  PathRoots roots{&input, &context, &vars};
  int passed = 0, failed = 0;
  for (const SelectCase& c : kSelectCases) {
    std::string error;
    auto path = JsonPath::compile(c.path, &error);
    if (!path) {
      ADD_FAILURE() << c.path << ": " << error;
      ++failed;
      continue;
    }
    std::optional<json::Value> got = path->select(roots);
    bool ok;
    if (std::string_view(c.path) == "$") {
      ok = got && *got == input;
    } else if (c.expected == nullptr) {
      ok = !got.has_value();
    } else {
      ok = got && json::dump(*got) == json::dump(parse(c.expected));
    }
    if (ok) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << c.path << " gave " << (got ? json::dump(*got) : "<none>") << ", want "
                    << (c.expected ? c.expected : "<none>");
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
}

TEST(JsonPath, Properties) {
  struct Case {
    const char* path;
    bool definite;
    bool reference;
    JsonPath::Root root;
    const char* normalized;
  };
  const Case cases[] = {
      {"$", true, true, JsonPath::Root::Input, "$"},
      {"$.NoSuchInputPath", true, true, JsonPath::Root::Input, "$['NoSuchInputPath']"},
      {"$.a.b[0]", true, true, JsonPath::Root::Input, "$['a']['b'][0]"},
      {"$['a']['b c']", true, true, JsonPath::Root::Input, "$['a']['b c']"},
      {"$.a[-1]", true, false, JsonPath::Root::Input, "$['a'][-1]"},
      {"$.a[*]", false, false, JsonPath::Root::Input, "$['a'][*]"},
      {"$.a.*", false, false, JsonPath::Root::Input, "$['a'][*]"},
      {"$.a[1:]", false, false, JsonPath::Root::Input, "$['a'][1:]"},
      {"$.a[:2]", false, false, JsonPath::Root::Input, "$['a'][:2]"},
      {"$.a[0,1]", false, false, JsonPath::Root::Input, "$['a'][0,1]"},
      {"$.a['x','y']", true, false, JsonPath::Root::Input, "$['a']['x','y']"},
      {"$.a['x','y'].z", false, false, JsonPath::Root::Input, "$['a']['x','y']['z']"},
      {"$..a", false, false, JsonPath::Root::Input, "$..['a']"},
      {"$.a[?(@.b > 1)]", false, false, JsonPath::Root::Input, "$['a'][?]"},
      {"$.a.length()", true, false, JsonPath::Root::Input, "$['a'].length()"},
      {"$$.Execution.Input", true, true, JsonPath::Root::Context, "$$['Execution']['Input']"},
      {"$x.y", true, true, JsonPath::Root::Variable, "$x['y']"},
  };
  for (const Case& c : cases) {
    std::string error;
    auto p = JsonPath::compile(c.path, &error);
    ASSERT_TRUE(p) << c.path << ": " << error;
    EXPECT_EQ(p->is_definite(), c.definite) << c.path;
    EXPECT_EQ(p->is_reference_path(), c.reference) << c.path;
    EXPECT_EQ(p->root(), c.root) << c.path;
    EXPECT_EQ(p->normalized(), c.normalized) << c.path;
    EXPECT_EQ(p->text(), c.path);
  }
  auto v = JsonPath::compile("$my_var1.x", nullptr);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->variable(), "my_var1");
}

TEST(JsonPath, RejectsInvalidPaths) {
  const char* cases[] = {"",
                         "a.b",
                         "$.",
                         "$..",
                         "$.a.",
                         "$[",
                         "$['a'",
                         "$['a]",
                         "$[a]",
                         "$[1",
                         "$[1,]",
                         "$[?(@.a]",
                         "$[?@.a]",
                         "$.a b",
                         "$.a[?(@.a =~ /x/)]",
                         "$.a.nosuchfn()",
                         "$.a.length().b",
                         "@.a",
                         "$[99999999999999999999]",
                         "$...a",
                         "$[?()]",
                         "$[?(@.a ==)]"};
  for (const char* c : cases) {
    std::string error;
    EXPECT_FALSE(JsonPath::compile(c, &error)) << c;
    EXPECT_FALSE(error.empty()) << c;
  }
  // Deeply nested filters are refused, not recursed into.
  std::string deep = "$";
  for (int i = 0; i < 200; ++i) {
    deep += "[?(@";
  }
  EXPECT_FALSE(JsonPath::compile(deep, nullptr));
  std::string parens = "$[?(";
  for (int i = 0; i < 5000; ++i) {
    parens += "(";
  }
  EXPECT_FALSE(JsonPath::compile(parens, nullptr));
}

TEST(JsonPath, AssignAtImplementsResultPath) {
  struct Case {
    const char* doc;
    const char* path;
    const char* value;
    const char* expected;  // nullptr: conflict
  };
  const Case cases[] = {
      {R"({"a":1})", "$", R"({"r":2})", R"({"r":2})"},
      {R"({"a":1})", "$.b", "2", R"({"a":1,"b":2})"},
      {R"({"a":1})", "$.a", "2", R"({"a":2})"},
      {R"({"a":1})", "$.x.y.z", "true", R"({"a":1,"x":{"y":{"z":true}}})"},
      {R"({"a":{"b":1}})", "$.a.c", "3", R"({"a":{"b":1,"c":3}})"},
      {R"({"a":[1,{"b":2}]})", "$.a[1].b", "5", R"({"a":[1,{"b":5}]})"},
      {R"({"a":[1,2]})", "$.a[0]", "9", R"({"a":[9,2]})"},
      {R"({"a":"str"})", "$.a.b", "1", nullptr},
      {R"({"a":null})", "$.a.b", "1", nullptr},
      {R"("scalar")", "$.a", "1", nullptr},
      {R"([1,2])", "$.a", "1", nullptr},
      {R"({"a":[1]})", "$.a[3]", "1", nullptr},
      {R"({"a":1})", "$.x.y[0]", "1", nullptr},
      {R"({"a":1})", "$.a.b", "1", nullptr},
  };
  for (const Case& c : cases) {
    auto path = JsonPath::compile(c.path, nullptr);
    ASSERT_TRUE(path) << c.path;
    std::string error;
    auto got = assign_at(parse(c.doc), *path, parse(c.value), &error);
    if (c.expected == nullptr) {
      EXPECT_FALSE(got) << c.doc << " " << c.path;
      EXPECT_FALSE(error.empty());
    } else {
      ASSERT_TRUE(got) << c.doc << " " << c.path << ": " << error;
      EXPECT_EQ(json::dump(*got), json::dump(parse(c.expected))) << c.path;
    }
  }
  std::string error;
  auto p = JsonPath::compile("$.a.b", nullptr);
  assign_at(parse(R"({"a":"str"})"), *p, json::Value(1), &error);
  EXPECT_EQ(error, "Unable to apply step \"b\" to input {\"a\":\"str\"}");
  auto index = JsonPath::compile("$.x[0]", nullptr);
  EXPECT_FALSE(assign_at(parse(R"({"k":1})"), *index, json::Value(1), &error));
  EXPECT_EQ(error, "Unable to apply step \"0\" to input {\"k\":1}");
  auto bad = JsonPath::compile("$.a[*]", nullptr);
  EXPECT_FALSE(assign_at(parse("{}"), *bad, json::Value(1), &error));
}

TEST(JsonPath, AssignLeavesSharedDocumentsAlone) {
  json::Value doc = parse(R"({"a":{"b":1},"c":2})");
  json::Value copy = doc;
  auto p = JsonPath::compile("$.a.b", nullptr);
  auto got = assign_at(doc, *p, json::Value(7), nullptr);
  ASSERT_TRUE(got);
  EXPECT_EQ(json::dump(copy), R"({"a":{"b":1},"c":2})");
  EXPECT_EQ(json::dump(*got), R"({"a":{"b":7},"c":2})");
}

TEST(JsonPath, DeepDocumentsDoNotOverflow) {
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "[";
  }
  for (int i = 0; i < 500; ++i) {
    text += "]";
  }
  json::Value doc = parse(text);
  PathRoots roots{&doc, nullptr, nullptr};
  for (const char* path : {"$..*", "$..[0]", "$..[?(@.a)]", "$..x.length()"}) {
    auto p = JsonPath::compile(path, nullptr);
    ASSERT_TRUE(p) << path;
    (void)p->select(roots);
  }
}

}  // namespace
}  // namespace signoff::asl
