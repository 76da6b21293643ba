#include "functions/code_store.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include "functions/util.h"
#include "functions/zip.h"

namespace signoff::functions {

namespace fs = std::filesystem;

namespace {

bool write_synced(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return false;
  }
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    off += static_cast<size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

Error io_error(const std::string& what) {
  return make_error("ServiceException", "Could not store the function code: " + what, 500);
}

}  // namespace

Result<StoredCode> CodeStore::put(const std::string& zip) {
  auto entries = read_zip(zip);
  if (!entries.ok()) {
    return entries.error();
  }
  StoredCode c;
  std::string digest = sha256_raw(zip);
  c.hex = to_hex(digest);
  c.sha256 = base64_encode(digest);
  c.size = static_cast<int64_t>(zip.size());
  std::error_code ec;
  fs::create_directories(dir_, ec);
  std::string final_zip = zip_path(c.hex);
  if (!fs::exists(final_zip, ec)) {
    std::string tmp = final_zip + ".tmp" + random_hex(4);
    if (!write_synced(tmp, zip)) {
      return io_error(tmp);
    }
    fs::rename(tmp, final_zip, ec);
    if (ec) {
      return io_error(ec.message());
    }
    int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  auto root = extract(c.hex, zip);
  if (!root.ok()) {
    return root.error();
  }
  return c;
}

Result<std::string> CodeStore::extract(const std::string& hex, const std::string& zip) {
  std::string root = dir_ + "/" + hex;
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    return root;
  }
  auto entries = read_zip(zip);
  if (!entries.ok()) {
    return entries.error();
  }
  std::string tmp = root + ".tmp" + random_hex(4);
  fs::create_directories(tmp, ec);
  for (const ZipEntry& e : *entries) {
    fs::path p = fs::path(tmp) / e.path;
    if (e.is_directory()) {
      fs::create_directories(p, ec);
      continue;
    }
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary);
    out.write(e.data.data(), static_cast<std::streamsize>(e.data.size()));
    out.close();
    if (!out) {
      fs::remove_all(tmp, ec);
      return io_error(p.string());
    }
    // Files must stay readable (and bootstraps executable) whatever the zip recorded.
    fs::permissions(p, static_cast<fs::perms>(e.mode | 0444), ec);
  }
  // Extracted trees are a cache of the synced zip: no fsync needed, a crash re-extracts.
  fs::rename(tmp, root, ec);
  if (ec && !fs::is_directory(root)) {
    fs::remove_all(tmp, ec);
    return io_error(ec.message());
  }
  fs::remove_all(tmp, ec);
  return root;
}

Result<std::string> CodeStore::task_root(const std::string& hex) {
  std::string root = dir_ + "/" + hex;
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    return root;
  }
  std::ifstream in(zip_path(hex), std::ios::binary);
  if (!in) {
    return io_error("missing package " + hex);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return extract(hex, ss.str());
}

}  // namespace signoff::functions
