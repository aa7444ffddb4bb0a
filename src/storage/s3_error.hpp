#pragma once
// Turns an S3 error response (status + XML body) into our `Error`, so callers can tell
// "try again later" from "will never work".
#include <string_view>

#include "core/error.hpp"

namespace teltubby::storage {

// kind:  retryable  for 5xx, 429 and the codes SlowDown, RequestTimeout, InternalError,
//                   ServiceUnavailable, OperationAborted;
//        not_found  for 404 NoSuchKey / NoSuchUpload / a HEAD 404;
//        permanent  for everything else (403 AccessDenied / SignatureDoesNotMatch /
//                   InvalidAccessKeyId, NoSuchBucket, 400s).
// code:  "s3.<Code>" from the XML body, else "s3.http<status>" (HEAD answers have no body).
// `context` says which operation failed ("PUT photos/1.jpg"); it must hold no secret.
Error s3_error(long status, std::string_view body, std::string_view context);

}  // namespace teltubby::storage
