#include "output_files.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <sstream>

#include "host/config/config_error.hpp"
#include "host/io/input_file.hpp"
#include "host/io/output_file.hpp"

namespace buildout {
namespace {

constexpr const char* kWhat = "--out";
constexpr const char* kJournal = ".buildout-journal";
constexpr const char* kJournalMagic = "buildout-journal 1";

std::string sha256_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

// A name the journal or a manifest may hold: one entry of the folder, nothing else.
bool plain_name(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > 255) return false;
  for (unsigned char c : name)
    if (c == '/' || c < 0x20 || c == 0x7f) return false;
  return true;
}

// The files a manifest names (sha256sum lines: 64 hex digits, two spaces, the name).
std::vector<std::string> manifest_files(const std::string& path) {
  std::vector<std::string> names;
  std::string text;
  try {
    text = read_input_file(path, "manifest");
  } catch (const UserError&) {
    return names;  // none (or unreadable): no previous set to tidy
  }
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 67 || line[0] == '#' || line.compare(64, 2, "  ") != 0) continue;
    const std::string name = line.substr(66);
    if (plain_name(name)) names.push_back(name);
  }
  return names;
}

// Carries out a journal's steps, each of which can be taken again: "unlink NAME" (gone already
// is fine), "rename TEMP NAME" (a temporary no longer there was renamed already).
void run_journal(const std::string& dir, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kJournalMagic) throw UserError(std::string(kWhat) + " " + dir + "/" + kJournal + ": not a Buildout journal; remove it");
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string step, a, b;
    words >> step >> a >> b;
    const bool rename = step == "rename";
    if (!(step == "unlink" || rename) || !plain_name(a) || (rename && !plain_name(b)))
      throw UserError(std::string(kWhat) + " " + dir + "/" + kJournal + ": unreadable step \"" + line + "\"; remove it");
    const std::string from = dir + "/" + a;
    if (rename) {
      const std::string to = dir + "/" + b;
      struct stat st{};
      if (::lstat(from.c_str(), &st) != 0) continue;  // done before
      check_replaceable(to, kWhat);
      if (::rename(from.c_str(), to.c_str()) != 0) throw_io_error(kWhat, to, "cannot rename " + from + " into place", errno);
    } else {
      struct stat st{};
      if (::lstat(from.c_str(), &st) != 0) continue;
      if (!S_ISREG(st.st_mode)) continue;  // not a report of ours: left alone
      if (::unlink(from.c_str()) != 0 && errno != ENOENT) throw_io_error(kWhat, from, "cannot remove it", errno);
    }
  }
  sync_folder(dir, kWhat);
}

// A journal left by a commit that did not finish (its process died: the lock was free) is
// completed: every temporary it names was whole before it was written.
void complete_interrupted_commit(const std::string& dir) {
  const std::string journal = dir + "/" + kJournal;
  struct stat st{};
  if (::lstat(journal.c_str(), &st) != 0) return;
  run_journal(dir, read_input_file(journal, "journal"));
  if (::unlink(journal.c_str()) != 0) throw_io_error(kWhat, journal, "cannot remove it", errno);
  sync_folder(dir, kWhat);
}

std::string base_of(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

}  // namespace

void check_output_folder(const std::string& dir, const std::vector<std::string>& names) {
  struct stat st{};
  if (::stat(dir.c_str(), &st) == 0) {
    check_writable_folder(dir, kWhat);
    for (const auto& n : names) check_replaceable(dir + "/" + n, kWhat);
  } else {
    check_creatable_folder(dir, kWhat);
  }
}

std::vector<std::string> OutputFiles::commit(const std::string& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw UserError(std::string(kWhat) + " " + dir + ": cannot create the output folder: " + ec.message());
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) throw UserError(std::string(kWhat) + " " + dir + ": not a folder");

  const FileLock lock(dir + "/.buildout.lock", kWhat, true);
  complete_interrupted_commit(dir);
  const std::string manifest = manifest_name(set_);
  std::vector<std::string> names;
  for (const auto& f : files_) names.push_back(f.first);
  names.push_back(manifest);
  for (const auto& n : names) {
    remove_stale_temps(dir + "/" + n);
    check_replaceable(dir + "/" + n, kWhat);  // before anything is written
  }
  remove_stale_temps(dir + "/" + kJournal);

  std::vector<std::unique_ptr<TempFile>> temps;
  std::ostringstream listed;
  listed << "# buildout report set \"" << set_ << "\": its files were written as a whole; check them with: sha256sum -c " << manifest << "\n";
  for (const auto& h : header_) listed << "# " << h << "\n";
  for (const auto& [name, content] : files_) {
    temps.push_back(std::make_unique<TempFile>(dir + "/" + name, kWhat));
    temps.back()->write(content);
    temps.back()->finish();
    listed << sha256_hex(content) << "  " << name << "\n";
  }
  temps.push_back(std::make_unique<TempFile>(dir + "/" + manifest, kWhat));
  temps.back()->write(listed.str());
  temps.back()->finish();

  // The old manifest goes first (the folder is between sets from then on), and the new one last.
  std::ostringstream journal;
  journal << kJournalMagic << "\nunlink " << manifest << "\n";
  for (size_t k = 0; k + 1 < temps.size(); ++k) journal << "rename " << base_of(temps[k]->path()) << " " << names[k] << "\n";
  for (const auto& old : manifest_files(dir + "/" + manifest)) {
    bool kept = false;
    for (const auto& n : names) kept |= n == old;
    if (!kept) journal << "unlink " << old << "\n";
  }
  journal << "rename " << base_of(temps.back()->path()) << " " << manifest << "\n";
  replace_file(dir + "/" + kJournal, journal.str(), kWhat);
  // From here the journal owns the temporaries: a failure leaves them for the next commit to complete.
  for (auto& t : temps) t->keep();
  try {
    run_journal(dir, journal.str());
  } catch (const UserError& e) {
    throw UserError(std::string(e.what()) + " (the set in " + dir + " is incomplete and has no manifest; the next command that writes there completes it)");
  }
  if (::unlink((dir + "/" + kJournal).c_str()) != 0) throw_io_error(kWhat, dir + "/" + kJournal, "cannot remove it", errno);
  sync_folder(dir, kWhat);

  std::vector<std::string> written;
  for (const auto& n : names) written.push_back((std::filesystem::path(dir) / n).string());
  return written;
}

}  // namespace buildout
