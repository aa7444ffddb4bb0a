#include <gtest/gtest.h>

#include "bot/html.hpp"
#include "bot/receipt.hpp"

namespace teltubby::bot {
namespace {

using namespace std::chrono_literals;

ItemOutcome stored(int ordinal, MediaType type, std::int64_t bytes) {
  ItemOutcome item;
  item.ordinal = ordinal;
  item.type = type;
  item.status = ItemStatus::stored;
  item.bytes = bytes;
  item.key = "teltubby/2026/11/news/42/file_" + std::to_string(ordinal);
  return item;
}

ItemOutcome with_status(ItemOutcome item, ItemStatus status) {
  item.status = status;
  return item;
}

TEST(Html, EscapesTheFourSpecialCharacters) {
  EXPECT_EQ(html_escape(R"(<a href="x">Tom & Jerry</a>)"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;");
  EXPECT_EQ(html_escape("_*[]` Привет"), "_*[]` Привет");
}

TEST(Receipt, SinglePhoto) {
  IngestOutcome outcome;
  outcome.items = {stored(1, MediaType::photo, 153600)};
  outcome.base_path = "teltubby/2026/11/news/42/";
  outcome.processing_time = 850ms;
  EXPECT_EQ(render_receipt(outcome),
            "✅ <b>Archived</b>\n"
            "Stored: 1 of 1 file\n"
            "Media: 📷 photo ×1\n"
            "Uploaded: 150.0 KB\n"
            "Path: <code>teltubby/2026/11/news/42/</code>\n"
            "Time: 850 ms");
}

TEST(Receipt, AlbumWithDuplicatesSkippedAndQueuedItems) {
  IngestOutcome outcome;
  outcome.is_album = true;
  ItemOutcome duplicate = with_status(stored(2, MediaType::photo, 2048), ItemStatus::duplicate);
  ItemOutcome skipped = with_status(stored(3, MediaType::video, 5LL << 30), ItemStatus::skipped);
  skipped.skipped_reason = "exceeds_max_file_gb";
  ItemOutcome queued = with_status(stored(4, MediaType::document, 150LL << 20), ItemStatus::queued);
  queued.job_id = "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f";
  queued.eta = 150s;
  ItemOutcome duplicate2 = with_status(stored(5, MediaType::video_note, 0), ItemStatus::duplicate);
  outcome.items = {stored(1, MediaType::photo, 1536 * 1024), duplicate, skipped, queued, duplicate2};
  outcome.base_path = "teltubby/2026/11/news/42/";
  outcome.processing_time = 2345ms;
  EXPECT_EQ(render_receipt(outcome),
            "✅ <b>Archived</b>\n"
            "Stored: 1 of 5 files\n"
            "Media: 📷 photo ×2, 🎬 video ×1, 📄 document ×1, ⏺ video note ×1\n"
            "Uploaded: 1.5 MB\n"
            "Path: <code>teltubby/2026/11/news/42/</code>\n"
            "Duplicates: 2 (#2, #5)\n"
            "Skipped: #3 🎬 video (5.0 GB) — exceeds_max_file_gb: larger than the size limit\n"
            "Queued: #4 📄 document (150.0 MB) — /jobs_3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f, about 3 min\n"
            "Time: 2.3 s");
}

TEST(Receipt, QueuedItemWithoutJobQueueSaysNotAvailableYet) {
  IngestOutcome outcome;
  ItemOutcome item = with_status(stored(1, MediaType::video, 30LL << 20), ItemStatus::skipped);
  item.skipped_reason = "queued_large_file";
  outcome.items = {item};
  outcome.processing_time = 10ms;
  EXPECT_EQ(render_receipt(outcome),
            "⚠️ <b>Nothing archived</b>\n"
            "Stored: 0 of 1 file\n"
            "Media: 🎬 video ×1\n"
            "Uploaded: 0 B\n"
            "Skipped: #1 🎬 video (30.0 MB) — queued_large_file: too large for the Bot API, large-file jobs are not "
            "available yet\n"
            "Time: 10 ms");
}

TEST(Receipt, EveryMediaTypeHasItsEmoji) {
  IngestOutcome outcome;
  outcome.items = {stored(1, MediaType::audio, 1), stored(2, MediaType::voice, 1), stored(3, MediaType::animation, 1),
                   stored(4, MediaType::sticker, 1)};
  const std::string text = render_receipt(outcome);
  EXPECT_NE(text.find("Media: 🎵 audio ×1, 🎤 voice ×1, 🎞 animation ×1, 🏷 sticker ×1\n"), std::string::npos) << text;
}

TEST(Receipt, UserSuppliedStringsAreEscaped) {
  IngestOutcome outcome;
  ItemOutcome skipped = with_status(stored(2, MediaType::document, 0), ItemStatus::skipped);
  skipped.skipped_reason = "weird<reason>&";
  ItemOutcome failed = with_status(stored(3, MediaType::document, 0), ItemStatus::failed);
  failed.error = R"(s3 said <Error code="x">&</Error>)";
  outcome.items = {stored(1, MediaType::document, 10), skipped, failed};
  outcome.base_path = "teltubby/2026/11/a<b>&\"c/1/";
  const std::string text = render_receipt(outcome);
  EXPECT_NE(text.find("Path: <code>teltubby/2026/11/a&lt;b&gt;&amp;&quot;c/1/</code>"), std::string::npos) << text;
  EXPECT_NE(text.find("— weird&lt;reason&gt;&amp;\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Failed: #3 📄 document — s3 said &lt;Error code=&quot;x&quot;&gt;&amp;&lt;/Error&gt;\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("<Error"), std::string::npos);
}

TEST(Receipt, AlbumWithAFailedItemNamesItAndStoresNothing) {
  IngestOutcome outcome;
  outcome.is_album = true;
  ItemOutcome failed = with_status(stored(3, MediaType::video, 4096), ItemStatus::failed);
  failed.error = "download failed: size mismatch";
  outcome.items = {with_status(stored(1, MediaType::photo, 10), ItemStatus::skipped), failed};
  EXPECT_EQ(render_receipt(outcome),
            "❌ <b>Album not archived</b>\n"
            "Item #3 🎬 video (4.0 KB): download failed: size mismatch\n"
            "Nothing from this album was stored. Forward it again to retry.");
}

TEST(Receipt, SingleMessageThatFailedSaysNotArchived) {
  IngestOutcome outcome;
  ItemOutcome failed = with_status(stored(1, MediaType::document, 0), ItemStatus::failed);
  outcome.items = {failed};
  outcome.processing_time = 1500ms;
  EXPECT_EQ(render_receipt(outcome),
            "❌ <b>Not archived</b>\n"
            "Stored: 0 of 1 file\n"
            "Media: 📄 document ×1\n"
            "Uploaded: 0 B\n"
            "Failed: #1 📄 document — unknown error\n"
            "Time: 1.5 s");
}

TEST(Receipt, QuotaPausedExplainsWhatHappensAndWhatToDo) {
  IngestOutcome outcome;
  outcome.quota_paused = true;
  outcome.items = {stored(1, MediaType::photo, 10)};
  EXPECT_EQ(render_receipt(outcome),
            "⏸ <b>Storage quota reached</b>\n"
            "Nothing was uploaded. This message is saved and will be archived automatically once space frees up. "
            "Free space in the bucket or raise S3_BUCKET_QUOTA_BYTES; see /quota.");
}

TEST(Receipt, DeferredSaysItWillBeArchivedLater) {
  IngestOutcome outcome;
  outcome.deferred = true;
  outcome.deferred_reason = "storage unreachable <timeout>";
  EXPECT_EQ(render_receipt(outcome),
            "⏳ <b>Will be archived later</b>\n"
            "Reason: storage unreachable &lt;timeout&gt;\n"
            "Nothing is lost: it is retried automatically and you will get a receipt.");
  EXPECT_EQ(render_deferred(""),
            "⏳ <b>Will be archived later</b>\n"
            "Nothing is lost: it is retried automatically and you will get a receipt.");
}

TEST(Receipt, ArchivedAfterDeferralIsMarked) {
  IngestOutcome outcome;
  outcome.archived_after_deferral = true;
  outcome.items = {stored(1, MediaType::voice, 100)};
  EXPECT_EQ(render_receipt(outcome).substr(0, render_receipt(outcome).find('\n')), "✅ <b>Archived</b> (was waiting)");
}

TEST(Receipt, NothingToArchiveIsOneLine) {
  EXPECT_EQ(render_nothing_to_archive(), "ℹ️ Nothing to archive: this message has no file.");
}

TEST(HumanUnits, Bytes) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(1023), "1023 B");
  EXPECT_EQ(human_bytes(1024), "1.0 KB");
  EXPECT_EQ(human_bytes(20971520), "20.0 MB");
  EXPECT_EQ(human_bytes(1024LL * 1024 * 1024 - 1), "1.0 GB");
  EXPECT_EQ(human_bytes(4LL << 30), "4.0 GB");
}

TEST(HumanUnits, DurationsAndEstimates) {
  EXPECT_EQ(human_duration(0ms), "0 ms");
  EXPECT_EQ(human_duration(999ms), "999 ms");
  EXPECT_EQ(human_duration(1000ms), "1.0 s");
  EXPECT_EQ(human_duration(125000ms), "2 min 5 s");
  EXPECT_EQ(human_eta(59s), "less than a minute");
  EXPECT_EQ(human_eta(60s), "about 1 min");
  EXPECT_EQ(human_eta(61s), "about 2 min");
  EXPECT_EQ(human_eta(3900s), "about 1 h 5 min");
}

}  // namespace
}  // namespace teltubby::bot
