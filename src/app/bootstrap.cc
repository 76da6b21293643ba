#include "app/bootstrap.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iam/secret_box.h"

namespace signoff::app {
namespace {

std::runtime_error failure(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void write_all(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      int saved = errno;
      ::close(fd);
      errno = saved;
      throw failure("cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw failure("cannot sync", path);
  }
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

iam::MasterKey load_or_create_master_key(const std::string& data_dir) {
  const std::string path = data_dir + "/master.key";
  iam::MasterKey key;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    key = iam::generate_master_key();
    // O_EXCL: two first starts cannot both write a key; mode 0600 from the start, never wider.
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw failure("cannot create", path);
    }
    write_all(fd, std::string(reinterpret_cast<const char*>(key.data()), key.size()), path);
    return key;
  }
  if (fd < 0) {
    throw failure("cannot open", path);
  }
  ssize_t n = ::read(fd, key.data(), key.size());
  char extra = 0;
  ssize_t more = ::read(fd, &extra, 1);
  ::close(fd);
  if (n != static_cast<ssize_t>(key.size()) || more != 0) {
    throw std::runtime_error(path + " is not a Signoff master key (expected 32 bytes)");
  }
  return key;
}

iam::AccessKeyPair read_credentials_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw failure("cannot read", path);
  }
  std::map<std::string, std::map<std::string, std::string>> profiles;
  std::string line;
  std::string current;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') {
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      current = trim(line.substr(1, line.size() - 2));
      profiles[current];
      continue;
    }
    size_t eq = line.find('=');
    if (eq != std::string::npos && !current.empty()) {
      profiles[current][trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
  }
  auto it = profiles.find("signoff");
  if (it == profiles.end() && profiles.size() == 1) {
    it = profiles.begin();
  }
  if (it == profiles.end()) {
    throw std::runtime_error(path + " has no [signoff] profile");
  }
  iam::AccessKeyPair key{it->second["aws_access_key_id"], it->second["aws_secret_access_key"]};
  if (key.access_key_id.empty() || key.secret_access_key.empty()) {
    throw std::runtime_error(path + ": profile [" + it->first +
                             "] needs aws_access_key_id and aws_secret_access_key");
  }
  return key;
}

void write_credentials_file(const std::string& path, const iam::AccessKeyPair& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw failure("cannot create", path);
  }
  // An existing file keeps its mode on O_TRUNC; make sure it is not readable by others.
  ::fchmod(fd, 0600);
  std::ostringstream text;
  text << "[signoff]\naws_access_key_id = " << key.access_key_id
       << "\naws_secret_access_key = " << key.secret_access_key << "\n";
  write_all(fd, text.str(), path);
}

}  // namespace signoff::app
