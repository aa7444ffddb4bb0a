// Test helper for the two-process test: one of two processes that write to the same
// SQLite file at once through SqliteStore.
//
//   store_writer DB_PATH WRITER_ID COUNT SHARED
//
// Waits until its standard input reaches end of file (the test closes the pipe once
// both writers are running, so they start together), opens the store (both migrate
// the new file at the same moment), then writes COUNT jobs, each taken through
// PENDING -> PROCESSING -> COMPLETED, and COUNT files of its own mapped to unique ids,
// plus SHARED files that both writers record (the first writer's key must win).
// Exit status 0 only when every operation succeeded; otherwise the error is printed
// to standard error and the status is 1 (2 for bad arguments).
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>

#include "store/sqlite_store.hpp"

namespace {

using teltubby::store::JobRecord;
using teltubby::store::JobState;

// A valid SHA-256 text unique per (writer, index); shared files use writer 0.
std::string sha_for(int writer, int index) {
  char text[65];
  std::snprintf(text, sizeof text, "%016x%016x%032x", static_cast<unsigned>(writer),
                static_cast<unsigned>(index), 0u);
  return text;
}

bool parse_int(const char* text, int& value) {
  const std::string_view view(text);
  const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
  return error == std::errc{} && end == view.data() + view.size();
}

template <class T>
bool ok(const teltubby::Result<T>& result, const std::string& what) {
  if (result) return true;
  std::cerr << "store_writer: " << what << ": " << result.error().describe() << '\n';
  return false;
}

bool write_all(teltubby::store::Store& store, int writer, int count, int shared) {
  const std::string prefix = "w" + std::to_string(writer) + "-";
  for (int i = 0; i < count; ++i) {
    JobRecord job;
    job.job_id = prefix + std::to_string(i);
    job.user_id = writer;
    job.chat_id = writer;
    job.message_id = i;
    job.file_unique_id = "AgAD" + job.job_id;
    job.file_size = 1000 + i;
    job.payload = R"({"job_id":")" + job.job_id + R"("})";
    if (!ok(store.create_job(job), "create " + job.job_id)) return false;
    if (!ok(store.transition_job(job.job_id, {JobState::pending}, JobState::processing, {}),
            "start " + job.job_id)) {
      return false;
    }
    teltubby::store::FileRecord file{
        sha_for(writer, i), "objects/" + job.job_id, job.file_size, "video/mp4", {}};
    if (!ok(store.record_file(file, "AgADfile" + job.job_id), "record file " + job.job_id)) return false;
    if (i < shared) {
      teltubby::store::FileRecord common{
          sha_for(0, i), "shared/" + prefix + std::to_string(i), 1, std::nullopt, {}};
      if (!ok(store.record_file(common, "AgADshared" + std::to_string(i)), "record shared file"))
        return false;
    }
    teltubby::store::JobEventDetails done;
    done.bytes = job.file_size;
    if (!ok(store.transition_job(job.job_id, {JobState::processing}, JobState::completed, done),
            "complete " + job.job_id)) {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int writer = 0;
  int count = 0;
  int shared = 0;
  if (argc != 5 || !parse_int(argv[2], writer) || writer < 1 || !parse_int(argv[3], count) || count < 0 ||
      !parse_int(argv[4], shared) || shared < 0) {
    std::cerr << "usage: store_writer DB_PATH WRITER_ID(>=1) COUNT SHARED\n";
    return 2;
  }
  char byte = 0;
  while (::read(STDIN_FILENO, &byte, 1) > 0) {
  }
  try {
    auto store = teltubby::store::SqliteStore::open({argv[1], std::chrono::milliseconds{30'000}, {}});
    return write_all(*store, writer, count, shared) ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "store_writer: " << error.what() << '\n';
    return 1;
  }
}
