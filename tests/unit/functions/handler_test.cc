#include "functions/handler.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace signoff::functions {
namespace {

TEST(Handler, PythonParts) {
  HandlerParts p = split_python_handler("index.lambda_handler");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.module, "index");
  EXPECT_EQ(p.function, "lambda_handler");
  p = split_python_handler("src/app.main");
  EXPECT_EQ(p.module, "src.app");
  EXPECT_EQ(p.function, "main");
  p = split_python_handler("pkg.mod.fn");
  EXPECT_EQ(p.module, "pkg.mod");
  EXPECT_EQ(p.function, "fn");
  EXPECT_FALSE(split_python_handler("nodot").ok);
  EXPECT_FALSE(split_python_handler("trailing.").ok);
  EXPECT_FALSE(split_python_handler(".lead").ok);
}

TEST(Handler, NodeParts) {
  HandlerParts p = split_node_handler("index.handler");
  EXPECT_EQ(p.module, "index");
  EXPECT_EQ(p.function, "handler");
  p = split_node_handler("dir.v2/file.a.b");
  EXPECT_EQ(p.module, "dir.v2/file");
  EXPECT_EQ(p.function, "a.b");
  EXPECT_FALSE(split_node_handler("index").ok);
}

TEST(Handler, RuntimeFamilies) {
  EXPECT_EQ(*runtime_family("python3.9"), RuntimeFamily::Python);
  EXPECT_EQ(*runtime_family("python3.12"), RuntimeFamily::Python);
  EXPECT_EQ(*runtime_family("nodejs20.x"), RuntimeFamily::Node);
  EXPECT_EQ(*runtime_family("provided.al2023"), RuntimeFamily::Provided);
  EXPECT_FALSE(runtime_family("python2.7").ok());
  EXPECT_FALSE(runtime_family("java17").ok());
  EXPECT_FALSE(runtime_family("nodejs.x").ok());
  EXPECT_EQ(runtime_family("ruby3.2").error().type, "InvalidParameterValueException");
}

TEST(Handler, Launches) {
  LaunchPaths paths;
  paths.task_root = "/code";
  paths.runtime_dir = "/rt";
  Launch py = resolve_launch(RuntimeFamily::Python, "index.lambda_handler", paths, 128);
  EXPECT_EQ(py.argv, (std::vector<std::string>{"/usr/bin/python3", "-u", "/rt/bootstrap.py"}));
  EXPECT_NE(std::find(py.env.begin(), py.env.end(), "SIGNOFF_HANDLER_MODULE=index"), py.env.end());
  Launch node = resolve_launch(RuntimeFamily::Node, "index.handler", paths, 1000);
  EXPECT_EQ(node.argv[1], "--max-old-space-size=900");
  Launch own = resolve_launch(RuntimeFamily::Provided, "whatever", paths, 128);
  EXPECT_EQ(own.argv, (std::vector<std::string>{"/code/bootstrap"}));
}

}  // namespace
}  // namespace signoff::functions
