#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
#include <filesystem>
#include <string_view>

namespace teltubby::test {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "teltubby-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace teltubby::test
