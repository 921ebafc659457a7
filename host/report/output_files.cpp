#include "output_files.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../config/config_error.hpp"

namespace buildout {

std::vector<std::string> OutputFiles::commit(const std::string& dir) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw UserError("--out " + dir + ": cannot create the output folder: " + ec.message());
  std::vector<std::pair<fs::path, fs::path>> moves;
  const auto cleanup = [&] {
    for (const auto& m : moves) fs::remove(m.first, ec);
  };
  for (const auto& [name, content] : files_) {
    const fs::path final_path = fs::path(dir) / name;
    const fs::path tmp = fs::path(dir) / ("." + name + ".tmp." + std::to_string(::getpid()));
    moves.emplace_back(tmp, final_path);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) {
      cleanup();
      throw UserError(tmp.string() + ": cannot write output file");
    }
  }
  std::vector<std::string> written;
  for (const auto& [tmp, final_path] : moves) {
    fs::rename(tmp, final_path, ec);
    if (ec) {
      cleanup();
      throw UserError(final_path.string() + ": cannot rename output into place: " + ec.message());
    }
    written.push_back(final_path.string());
  }
  return written;
}

}  // namespace buildout
