#pragma once
// What the estimators that read their own executable share: running binutils, naming the line
// of kernels/ an address came from, and ranking what they count by line.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace buildout::estimate {

// The command's standard output; throws if it cannot run or fails.
std::string run_tool(const std::string& command);

// Calls f with each line of text.
template <class F>
void for_each_line(const std::string& text, F&& f) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    f(text.substr(at, end - at));
    at = end + 1;
  }
}

// Each address's line in kernels/ ("kernels/file.hpp:line"): the innermost of the lines it was
// inlined from that is the model's own, so that cuRAND's code counts for the draw that ran it.
// Addresses outside kernels/ get their innermost file's name and line.
std::vector<std::string> kernel_lines(const std::string& exe, const std::vector<std::uint64_t>& addresses);

// This program's own file: "/proc/self/exe" would name objdump's in objdump. Throws if unknown.
std::string own_executable();

// A table by file or by line, largest value first: at most `limit` of its entries, as (value, name).
std::vector<std::pair<double, std::string>> ranked(const std::map<std::string, double>& table,
                                                   std::size_t limit = std::numeric_limits<std::size_t>::max());

}  // namespace buildout::estimate
