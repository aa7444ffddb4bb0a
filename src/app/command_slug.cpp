#include <iostream>
#include <string>

#include "app/commands.hpp"
#include "archive/slug.hpp"

namespace teltubby::app {

// `teltubby slug [--fallback TEXT] TEXT...`: prints the slug of the arguments joined by
// spaces. Without --fallback, text with nothing to transliterate prints "unknown".
int run_slug(CommandArgs args) {
  std::string fallback;
  std::string text;
  bool have_text = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--fallback" && !have_text) {
      if (i + 1 == args.size()) {
        std::cerr << "teltubby slug: --fallback needs a value\n";
        return 2;
      }
      fallback = args[++i];
      continue;
    }
    if (have_text) text += ' ';
    text += args[i];
    have_text = true;
  }
  if (!have_text) {
    std::cerr << "usage: teltubby slug [--fallback TEXT] TEXT...\n";
    return 2;
  }
  std::cout << archive::slugify(text, fallback) << '\n';
  return 0;
}

}  // namespace teltubby::app
