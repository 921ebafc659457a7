#pragma once
// Writes a set of files all or nothing: each goes to a temporary name in the
// target folder first, and only when all are written are they renamed into place.
#include <string>
#include <utility>
#include <vector>

namespace buildout {

class OutputFiles {
 public:
  void add(std::string name, std::string content) { files_.emplace_back(std::move(name), std::move(content)); }
  // Throws UserError naming the path on failure; leaves no temporary behind.
  std::vector<std::string> commit(const std::string& dir) const;

 private:
  std::vector<std::pair<std::string, std::string>> files_;
};

}  // namespace buildout
