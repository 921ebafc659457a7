#pragma once
// Writes one command's report set into an output folder as a whole, so that a reader never
// takes files of two runs for one set:
//  1. under an advisory lock on the folder (.buildout.lock), so two runs' commits never
//     interleave; a commit that a crash (kill -9) cut short is completed first;
//  2. every file of the set, and the set's manifest, is written to a temporary beside its
//     target (host/io/output_file.hpp: never through a planted link, never over a device);
//  3. a journal (.buildout-journal) names the renames; then the old manifest is removed, each
//     file is renamed into place, the files of the folder's previous set of this command that
//     this one does not have are removed, and the manifest is renamed into place last;
//  4. the journal is removed.
// The manifest, <command>.manifest, lists each file's SHA-256 in sha256sum's format: in the
// folder, `sha256sum -c run.manifest` tells whether what is there is one set. A folder without
// it is between two sets.
#include <string>
#include <utility>
#include <vector>

namespace buildout {

class OutputFiles {
 public:
  // `set`: the command whose reports these are ("run", "compare", ...), the manifest's name.
  // `header`: what the manifest says of the run (comment lines, '#' added).
  OutputFiles(std::string set, std::vector<std::string> header) : set_(std::move(set)), header_(std::move(header)) {}
  void add(std::string name, std::string content) { files_.emplace_back(std::move(name), std::move(content)); }
  // Throws UserError naming the path and the system's reason; leaves no temporary behind
  // unless a journal names it (then the next commit into the folder completes the set).
  std::vector<std::string> commit(const std::string& dir) const;

  static std::string manifest_name(const std::string& set) { return set + ".manifest"; }

 private:
  std::string set_;
  std::vector<std::string> header_;
  std::vector<std::pair<std::string, std::string>> files_;
};

// A command's report files and its set's manifest: what it writes into --out.
inline std::vector<std::string> with_manifest(const std::string& set, std::vector<std::string> reports) {
  reports.push_back(OutputFiles::manifest_name(set));
  return reports;
}

// Before a command simulates: --out can be created or written to, and none of `names` (its
// reports and manifest) is in the way (a directory, a device, a link where a report goes).
void check_output_folder(const std::string& dir, const std::vector<std::string>& names);

}  // namespace buildout
