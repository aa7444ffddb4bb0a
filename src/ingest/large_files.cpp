#include "ingest/large_files.hpp"

namespace teltubby::ingest {

Result<QueuedJob> UnsupportedLargeFiles::enqueue(const LargeItemRequest& /*request*/) {
  return fail(ErrorKind::permanent, std::string(kLargeFilesUnsupported),
              "large-file jobs are not available yet");
}

}  // namespace teltubby::ingest
