// Safe creation of an output file or directory: everything is written into a temporary sibling
// `<target>.tmp-XXXXXX`, which replaces `<target>` only on commit(). If the output is abandoned (an
// exception, an early return) the destructor removes the temporary, so a failed conversion leaves
// neither a partial output nor debris next to it. Outputs committed while an OutputTransaction is
// open appear together when it commits, or none of them does.
#pragma once

#include <filesystem>
#include <vector>

namespace cptx {

class AtomicOutput {
 public:
  enum class Kind { file, directory };

  // Creates the empty temporary, with the modes the umask gives new files. Throws UsageError if
  // `target` exists (even as a dangling symlink) and `force` is false.
  AtomicOutput(std::filesystem::path target, Kind kind, bool force);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::filesystem::path& target() const { return target_; }
  // Where to write until commit().
  const std::filesystem::path& temp_path() const { return temp_; }
  bool committed() const { return committed_; }

  // Makes SIGINT, SIGTERM, SIGHUP and SIGPIPE remove every temporary not yet committed before the
  // process ends as the signal says. A program calls it once, at start.
  static void remove_temporaries_on_signals();

  // Moves the temporary to `target`, or, while an OutputTransaction is open, hands it to the
  // transaction, which moves it when it commits. Without `force` this fails if `target` appeared
  // meanwhile; with `force` an existing `target` is swapped out atomically where the file system
  // allows it and deleted afterwards.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool force_;
  bool committed_ = false;
  int pending_slot_ = -1;  // in the signal handler's list of temporaries
};

// Outputs that belong together (a checkpoint, its report, its raw memory dump): each one committed
// while the transaction is open stays a temporary until commit() renames them all into place, in
// the order they were committed. If that fails, or the transaction ends without commit(), none of
// them is left: temporaries are removed, and outputs already renamed that did not exist before are
// removed again. One transaction at a time.
class OutputTransaction {
 public:
  OutputTransaction();
  ~OutputTransaction();
  OutputTransaction(const OutputTransaction&) = delete;
  OutputTransaction& operator=(const OutputTransaction&) = delete;

  void commit();

  // Where the output `target` is now: its temporary while an open transaction holds it, else `target`.
  static std::filesystem::path where(const std::filesystem::path& target);

 private:
  friend class AtomicOutput;
  struct Held {
    std::filesystem::path target, temp;
    bool force;
    int slot;
  };
  std::vector<Held> held_;
};

}  // namespace cptx
