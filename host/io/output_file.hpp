#pragma once
// Writing an output (a report, a checkpoint) so that it cannot be redirected or left half
// written, also as root in a folder others can write to:
//  - the target may be absent or a regular file; anything else (a directory, a device such as
//    /dev/null, a FIFO, a symbolic link) is refused, never replaced;
//  - the bytes go to a new temporary file beside the target, created with O_CREAT | O_EXCL under
//    a name nobody can predict (mkstemp), so a planted file or symbolic link is never opened;
//  - it is flushed to disk and renamed over the target in one step; on any failure it is
//    removed, and the target keeps what it had;
//  - every error names the path and the system's reason (the errno's text).
// Temporaries are named .<target>.tmp-<host>-<pid>-XXXXXX: one left by a process of this host
// that has ended (kill -9) is told apart from another run's by its pid, and removed.
#include <sys/types.h>

#include <cstddef>
#include <string>

namespace buildout {

// "<what> PATH: <doing>: <the errno's text>", as a UserError.
[[noreturn]] void throw_io_error(const std::string& what, const std::string& path, const std::string& doing, int err);

// The folder a target path lies in ("." for a bare name).
std::string folder_of(const std::string& path);

// Refuses, as UserError naming `what` (e.g. "--checkpoint"), a target that exists and is not a
// regular file.
void check_replaceable(const std::string& path, const std::string& what);

// Refuses a folder that does not exist, is not a directory, or where no file can be created
// (tried: a temporary file is created and removed, which also catches a read-only filesystem);
// the message names `target` (what goes there) when given.
void check_writable_folder(const std::string& dir, const std::string& what, const std::string& target = "");

// What `check_writable_folder` asks of an output folder that may not exist yet: its nearest
// existing ancestor must be a directory where folders can be created.
void check_creatable_folder(const std::string& dir, const std::string& what);

class TempFile {
 public:
  // A new, empty file beside `target`, readable as the umask allows.
  TempFile(const std::string& target, const std::string& what);
  ~TempFile();  // removes the file unless it was renamed into place
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write(const void* data, std::size_t n);
  void write(const std::string& s) { write(s.data(), s.size()); }
  // Flushes it to disk and closes it; then it can be renamed.
  void finish();
  // Renames it over `target` (checked again: absent or a regular file) and flushes the folder.
  void rename_into_place();
  // Renamed elsewhere by the caller (or to be kept): the destructor leaves it.
  void keep() { owned_ = false; }
  const std::string& path() const { return path_; }
  const std::string& target() const { return target_; }

 private:
  std::string target_, what_, path_;
  int fd_ = -1;
  bool owned_ = true;
};

// Writes `bytes` to `path` through a TempFile.
void replace_file(const std::string& path, const std::string& bytes, const std::string& what);

// Removes the temporaries of `target` (named as above) that processes of this host left and
// that have ended.
void remove_stale_temps(const std::string& target);

// Flushes a folder's entries (renames, removals) to disk.
void sync_folder(const std::string& dir, const std::string& what);

// An advisory lock (flock) on a lock file, held while the object lives. The lock file is
// created if needed (never through a symbolic link) and holds the holder's host and pid.
class FileLock {
 public:
  // wait: block until the lock is free; otherwise refuse at once, naming the holder.
  FileLock(const std::string& lock_path, const std::string& what, bool wait);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace buildout
