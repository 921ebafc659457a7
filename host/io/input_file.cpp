#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "host/config/config_error.hpp"
#include "file_kind.hpp"

namespace buildout {

std::string read_input_file(const std::string& path, const std::string& what, std::uint64_t max_bytes) {
  const auto refuse = [&](const std::string& why) { return UserError(path + ": cannot read " + what + ": " + why); };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; the fstat below
  // refuses it before any read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw refuse(std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0) throw refuse(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw refuse("it is " + file_kind(st.st_mode) + ", not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes)
    throw refuse("it is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) + " this input may have");
  std::string bytes(size, '\0');
  std::uint64_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, bytes.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw refuse(std::strerror(errno));
    if (n == 0) break;  // it shrank while being read: what is there
    got += static_cast<std::uint64_t>(n);
  }
  bytes.resize(got);
  // A file that grew while being read is read only to the size it had.
  return bytes;
}

}  // namespace buildout
