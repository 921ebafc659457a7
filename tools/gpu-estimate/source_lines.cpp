#include "source_lines.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include <unistd.h>

namespace buildout::estimate {

std::string run_tool(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string out;
  char buf[1 << 16];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  if (pclose(pipe) != 0) throw std::runtime_error("failed: " + command);
  return out;
}

std::vector<std::string> kernel_lines(const std::string& exe, const std::vector<std::uint64_t>& addresses) {
  std::vector<std::string> out(addresses.size());
  if (addresses.empty()) return out;
  char list[] = "/tmp/buildout-lines-XXXXXX";
  const int fd = mkstemp(list);
  if (fd < 0) throw std::runtime_error("cannot make a temporary file");
  std::string text;
  for (std::uint64_t a : addresses) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx\n", static_cast<unsigned long long>(a));
    text += hex;
  }
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  try {
    if (!written) throw std::runtime_error("cannot write the addresses");
    text = run_tool("addr2line -i -a -e '" + exe + "' < " + list);
  } catch (...) {
    unlink(list);
    throw;
  }
  unlink(list);
  int k = -1;
  for_each_line(text, [&](std::string l) {
    if (l.rfind("0x", 0) == 0) {
      ++k;
      return;
    }
    if (k < 0 || k >= static_cast<int>(out.size()) || out[k].rfind("kernels/", 0) == 0) return;
    const std::size_t paren = l.find(" (discriminator");
    if (paren != std::string::npos) l = l.substr(0, paren);
    const std::size_t r = l.find("/kernels/");
    if (r != std::string::npos) out[k] = l.substr(r + 1);
    else if (out[k].empty()) out[k] = l.substr(l.rfind('/') + 1);
  });
  return out;
}

std::string own_executable() {
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) throw std::runtime_error("cannot find this program's own file");
  return std::string(self, static_cast<std::size_t>(n));
}

std::vector<std::pair<double, std::string>> ranked(const std::map<std::string, double>& table, std::size_t limit) {
  std::vector<std::pair<double, std::string>> out;
  for (const auto& [name, value] : table) out.emplace_back(value, name);
  std::sort(out.rbegin(), out.rend());
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace buildout::estimate
