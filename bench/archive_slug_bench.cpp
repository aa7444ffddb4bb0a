// Throughput of slugify() and name_item(), the per-file hot path of archiving.
// Build and run from the plain (unsanitised) build:
//   cmake --build build/plain --target archive_slug_bench && build/plain/bench/archive_slug_bench
// Prints nanoseconds per call for typical inputs; not a test, no thresholds.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "archive/naming.hpp"
#include "archive/slug.hpp"

namespace {

template <class F>
double nanoseconds_per_call(int calls, F&& call) {
  std::size_t sink = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) sink += call();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (sink == 0) std::puts("");  // keeps the calls from being optimised away
  return std::chrono::duration<double, std::nano>(elapsed).count() / calls;
}

}  // namespace

int main() {
  using teltubby::archive::slugify;
  const std::vector<std::pair<const char*, std::string>> inputs{
      {"ascii username", "tech_news_daily"},
      {"russian title", "Новости дня: Щука и ёлка"},
      {"ukrainian title", "Київ, Україна — їжак"},
      {"chinese title", "北京欢迎你"},
      {"emoji only", "🔥🔥🔥"},
  };
  constexpr int kCalls = 20000;
  for (const auto& [label, text] : inputs) {
    const std::string& input = text;
    std::printf("slugify %-16s %8.0f ns/call\n", label,
                nanoseconds_per_call(kCalls, [&] { return slugify(input).size() + 1; }));
  }
  std::string caption;
  while (caption.size() < 5000) caption += "Длинная подпись к фотографии ";
  std::printf("caption_snippet 5000 chars %5.0f ns/call\n", nanoseconds_per_call(kCalls, [&] {
                return teltubby::archive::caption_snippet(caption).size() + 1;
              }));

  teltubby::archive::ItemNaming item;
  item.provenance.origin.kind = teltubby::archive::OriginKind::channel;
  item.provenance.origin.chat = {-1001006503122, "", "Новости дня"};
  item.folder_time = item.message_time = std::chrono::sys_seconds{std::chrono::seconds{1795873445}};
  item.folder_message_id = item.message_id = 1000;
  item.media_group_id = "13579246801357924";
  item.caption = caption;
  item.mime_type = "image/jpeg";
  item.media_type = teltubby::archive::MediaType::photo;
  std::printf("name_item (russian album item) %5.0f ns/call\n",
              nanoseconds_per_call(kCalls, [&] { return teltubby::archive::name_item(item)->key.size(); }));
  return 0;
}
