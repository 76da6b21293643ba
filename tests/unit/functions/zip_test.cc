#include "functions/zip.h"

#include <cstring>

#include <gtest/gtest.h>
#include <zlib.h>

namespace signoff::functions {
namespace {

std::string deflate_raw(const std::string& in) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// Turns the stored entry of a one-file zip made by make_zip into a deflated one.
std::string deflated_zip(const std::string& name, const std::string& data) {
  std::string stored = make_zip({ZipEntry{name, data, 0644}});
  std::string packed = deflate_raw(data);
  std::string local = stored.substr(0, 30 + name.size());
  local[8] = 8;  // method
  uint32_t cs = static_cast<uint32_t>(packed.size());
  for (int i = 0; i < 4; ++i) {
    local[18 + i] = static_cast<char>((cs >> (8 * i)) & 0xff);
  }
  std::string central = stored.substr(30 + name.size() + data.size());
  central[10] = 8;
  for (int i = 0; i < 4; ++i) {
    central[20 + i] = static_cast<char>((cs >> (8 * i)) & 0xff);
  }
  uint32_t cd_offset = static_cast<uint32_t>(local.size() + packed.size());
  size_t eocd = central.size() - 22;
  for (int i = 0; i < 4; ++i) {
    central[eocd + 16 + i] = static_cast<char>((cd_offset >> (8 * i)) & 0xff);
  }
  return local + packed + central;
}

TEST(Zip, StoredRoundTrip) {
  std::string z = make_zip(
      {ZipEntry{"index.py", "print('hi')\n", 0644}, ZipEntry{"pkg/mod.py", "x = 1\n", 0755}});
  auto entries = read_zip(z);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].path, "index.py");
  EXPECT_EQ((*entries)[0].data, "print('hi')\n");
  EXPECT_EQ((*entries)[1].path, "pkg/mod.py");
  EXPECT_EQ((*entries)[1].mode, 0755u);
}

TEST(Zip, Deflated) {
  std::string text(10000, 'a');
  text += "the end";
  auto entries = read_zip(deflated_zip("big.txt", text));
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_EQ((*entries)[0].data, text);
}

TEST(Zip, RejectsCorruptCrc) {
  std::string z = make_zip({ZipEntry{"a.py", "hello", 0644}});
  z[30 + 4] = 'X';  // first data byte
  auto entries = read_zip(z);
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.error().type, "InvalidParameterValueException");
  EXPECT_NE(entries.error().message.find("CRC"), std::string::npos);
}

TEST(Zip, RejectsUnsafePathsAndGarbage) {
  EXPECT_FALSE(read_zip(make_zip({ZipEntry{"../evil", "x", 0644}})).ok());
  EXPECT_FALSE(read_zip(make_zip({ZipEntry{"/abs", "x", 0644}})).ok());
  EXPECT_FALSE(read_zip("not a zip at all, definitely not").ok());
  std::string z = make_zip({ZipEntry{"a.py", "hello", 0644}});
  EXPECT_FALSE(read_zip(z.substr(0, z.size() - 5)).ok());
  EXPECT_FALSE(read_zip("").ok());
}

TEST(Zip, EnforcesSizeLimit) {
  std::string z = make_zip({ZipEntry{"a", std::string(2000, 'x'), 0644}});
  ZipLimits limits;
  limits.max_total_bytes = 1000;
  auto r = read_zip(z, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Unzipped size"), std::string::npos);
}

}  // namespace
}  // namespace signoff::functions
