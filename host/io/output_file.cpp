#include "output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "file_kind.hpp"
#include "host/config/config_error.hpp"

namespace buildout {
namespace {

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "host";
  std::string h;
  for (const char* c = buf; *c; ++c) h += (std::isalnum(static_cast<unsigned char>(*c)) || *c == '.') ? *c : '_';
  return h.empty() ? "host" : h;
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// ".<base>.tmp-<host>-"; the pid, a dash and mkstemp's six characters follow.
std::string temp_prefix(const std::string& target) { return "." + base_name(target) + ".tmp-" + host_name() + "-"; }

mode_t umask_now() {
  const mode_t m = ::umask(0);
  ::umask(m);
  return m;
}

}  // namespace

void throw_io_error(const std::string& what, const std::string& path, const std::string& doing, int err) {
  throw UserError(what + " " + path + ": " + doing + ": " + std::strerror(err));
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void check_replaceable(const std::string& path, const std::string& what) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw_io_error(what, path, "cannot inspect it", errno);
  }
  if (!S_ISREG(st.st_mode))
    throw UserError(what + " " + path + ": it exists and is " + file_kind(st.st_mode) +
                    ", not a regular file: refusing to replace it (remove it, or name another path)");
}

void check_writable_folder(const std::string& dir, const std::string& what, const std::string& target) {
  const std::string named = target.empty() ? dir : target;
  const std::string folder = target.empty() ? "the folder" : "its folder " + dir;
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) throw_io_error(what, named, folder + " cannot be used", errno);
  if (!S_ISDIR(st.st_mode)) throw UserError(what + " " + named + ": " + folder + " is " + file_kind(st.st_mode) + ", not a folder");
  try {
    TempFile probe(dir + "/.buildout-write-check", what);  // created and removed
  } catch (const UserError& e) {
    const std::string m = e.what();  // "...: <the errno's text>"
    throw UserError(what + " " + named + ": cannot create a file in " + folder + ": " + m.substr(m.rfind(": ") + 2));
  }
}

void check_creatable_folder(const std::string& dir, const std::string& what) {
  std::string at = dir;
  for (;;) {
    struct stat st{};
    if (::stat(at.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) throw UserError(what + " " + dir + ": " + at + " is " + file_kind(st.st_mode) + ", not a folder");
      check_writable_folder(at, what);
      return;
    }
    if (errno != ENOENT) throw_io_error(what, dir, "cannot inspect " + at, errno);
    const std::string up = folder_of(at);
    if (up == at) throw_io_error(what, dir, "no part of it exists", ENOENT);
    at = up;
  }
}

TempFile::TempFile(const std::string& target, const std::string& what) : target_(target), what_(what) {
  std::string pattern = folder_of(target) + "/" + temp_prefix(target) + std::to_string(::getpid()) + "-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  // mkostemp opens with O_CREAT | O_EXCL: an existing name, a symbolic link included, is never opened.
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) throw_io_error(what, target, "cannot create a temporary file in " + folder_of(target), errno);
  path_ = name.data();
  ::fchmod(fd_, 0666 & ~umask_now());  // mkstemp's 0600 would hide reports from the group
}

TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (owned_ && !path_.empty()) ::unlink(path_.c_str());
}

void TempFile::write(const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw_io_error(what_, target_, "cannot write " + path_, errno);
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void TempFile::finish() {
  if (::fsync(fd_) != 0) throw_io_error(what_, target_, "cannot flush " + path_ + " to disk", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw_io_error(what_, target_, "cannot close " + path_, errno);
}

void TempFile::rename_into_place() {
  check_replaceable(target_, what_);
  if (::rename(path_.c_str(), target_.c_str()) != 0) throw_io_error(what_, target_, "cannot rename " + path_ + " into place", errno);
  owned_ = false;
  sync_folder(folder_of(target_), what_);
}

void replace_file(const std::string& path, const std::string& bytes, const std::string& what) {
  check_replaceable(path, what);
  TempFile tmp(path, what);
  tmp.write(bytes);
  tmp.finish();
  tmp.rename_into_place();
}

void remove_stale_temps(const std::string& target) {
  const std::string dir = folder_of(target), prefix = temp_prefix(target);
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> stale;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    // <pid>-XXXXXX after the prefix.
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || rest.size() != dash + 7) continue;
    const std::string pid_text = rest.substr(0, dash);
    if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(pid_text.c_str()));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // ours, or alive (or not ours to ask)
    stale.push_back(dir + "/" + name);
  }
  ::closedir(d);
  for (const auto& s : stale) {
    struct stat st{};
    if (::lstat(s.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(s.c_str());
  }
}

void sync_folder(const std::string& dir, const std::string& what) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_io_error(what, dir, "cannot open the folder", errno);
  const int rc = ::fsync(fd), err = errno;
  ::close(fd);
  // Some filesystems cannot flush a folder (EINVAL); the rename itself has happened.
  if (rc != 0 && err != EINVAL && err != EROFS) throw_io_error(what, dir, "cannot flush the folder to disk", err);
}

FileLock::FileLock(const std::string& lock_path, const std::string& what, bool wait) {
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd_ < 0) throw_io_error(what, lock_path, "cannot open the lock file", errno);
  struct stat st{};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw UserError(what + " " + lock_path + ": the lock file is not a regular file");
  }
  while (::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    char holder[128] = {};
    const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw UserError(what + " " + lock_path + ": in use by another run (" + (n > 0 ? std::string(holder, n) : "unknown") + ")");
    throw_io_error(what, lock_path, "cannot lock it", err);
  }
  const std::string me = "host " + host_name() + ", pid " + std::to_string(::getpid());
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, me.data(), me.size(), 0);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace buildout
