// `teltubby login [--env-file PATH] [--qr]`: logs the worker's Telegram account in from
// a terminal, into MTPROTO_SESSION_PATH, so that `teltubby worker` starts logged in.
// Asks for the phone number (unless MTPROTO_PHONE_NUMBER is set), the login code and
// the two-step verification password (not echoed); with --qr it shows a QR code to scan
// in Telegram > Settings > Devices > Link Desktop Device instead. Stop the worker first:
// TDLib's database is used by one process at a time. docs/mtproto.md.
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "app/commands.hpp"
#include "app/env_file_option.hpp"
#include "app/settings_from_config.hpp"
#include "app/stop_signals.hpp"
#include "bot/commands.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "mtproto/td_account.hpp"
#include "qr/qr.hpp"
#include "telegram/tdlib/td_log.hpp"

namespace teltubby::app {
namespace {

constexpr std::string_view kUsage = "usage: teltubby login [--env-file PATH] [--qr]\n";
// Longest wait for TDLib's next login step (network included).
constexpr std::chrono::seconds kStepTimeout{90};

// One line from the terminal; nullopt at end of input. `hidden`: no echo (passwords).
std::optional<std::string> ask(std::string_view prompt, bool hidden = false) {
  std::cout << prompt << std::flush;
  termios saved{};
  const bool terminal = hidden && ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cout << '\n';
  }
  if (!got) return std::nullopt;
  return line;
}


int login_with(const Config& config, bool use_qr) {
  if (config.mtproto_api_id == 0 || config.mtproto_api_hash.empty()) {
    std::cerr << "teltubby login: MTPROTO_API_ID and MTPROTO_API_HASH must be set (from my.telegram.org)\n";
    return 2;
  }
  auto library = std::make_shared<const tdlib::TdJsonLibrary>(config.tdjson_path);
  (void)tdlib::route_tdlib_log(*library);
  mtproto::TdAccount account(library, account_settings_from(config, std::chrono::seconds{60}));
  // Ctrl-C / SIGTERM: close TDLib first (it aborts at exit with a client open), then leave.
  const sigset_t stop_signals = block_stop_signals();
  std::jthread stopper([&account, stop_signals](const std::stop_token& stop) {
    const timespec poll{0, 200'000'000};
    while (!stop.stop_requested()) {
      const int signal_number = ::sigtimedwait(&stop_signals, nullptr, &poll);
      if (signal_number == SIGINT || signal_number == SIGTERM) {
        (void)account.close();
        std::cerr << "\nteltubby login: interrupted; not logged in\n";
        std::_Exit(130);
      }
    }
  });
  account.start();

  std::string last_shown;  // the state (and QR link) last shown, to wait for the next one
  bool phone_sent = false;
  bool fresh_login = false;  // a login step was asked for: a new session, not a saved one
  while (true) {
    const bool moved = account.wait_for(
        [&](const mtproto::LoginView& view) {
          return view.step != mtproto::LoginStep::starting && view.type + view.qr_link != last_shown;
        },
        kStepTimeout);
    if (!account.setup_failure().empty()) {
      std::cerr << "teltubby login: TDLib refused the settings: " << account.setup_failure() << '\n';
      return 2;
    }
    if (!moved) {
      std::cerr << "teltubby login: no answer from Telegram for " << kStepTimeout.count() << " s\n";
      return 1;
    }
    const mtproto::LoginView view = account.login();
    last_shown = view.type + view.qr_link;
    Status step;
    switch (view.step) {
      case mtproto::LoginStep::starting:
      case mtproto::LoginStep::closing:
        continue;
      case mtproto::LoginStep::needs_phone: {
        fresh_login = true;
        if (use_qr) {
          step = account.request_qr();
          break;
        }
        std::optional<std::string> phone;
        if (!config.mtproto_phone_number.empty() && !phone_sent) {
          phone = config.mtproto_phone_number;
        } else {
          phone = ask("Phone number of the worker account (international format, e.g. +15551234567): ");
        }
        if (!phone) return 1;
        phone_sent = true;
        step = account.send_phone(*phone);
        break;
      }
      case mtproto::LoginStep::needs_code: {
        // Read as the bot's /mtcode reads it: separators dropped, 5 to 8 digits.
        std::optional<std::string> code;
        while (!code) {
          const auto typed = ask("Login code Telegram sent to the account (in the Telegram app): ");
          if (!typed) return 1;
          auto parsed = bot::parse_login_code(*typed);
          if (parsed) {
            code = std::move(*parsed);
          } else {
            std::cerr << "teltubby login: " << parsed.error().message << "; type it again.\n";
          }
        }
        step = account.send_code(*code);
        if (!step && mtproto::login_problem(step.error()) == mtproto::LoginProblem::expired_code) {
          std::cout << "The code expired; asking Telegram for a new one.\n";
          phone_sent = false;
          const auto phone =
              config.mtproto_phone_number.empty() ? ask("Phone number: ") : std::optional(config.mtproto_phone_number);
          if (!phone) return 1;
          step = account.send_phone(*phone);
        }
        break;
      }
      case mtproto::LoginStep::needs_password: {
        const std::string hint = view.password_hint.empty() ? "" : " (hint: " + view.password_hint + ")";
        auto password = ask("Two-step verification password" + hint + ": ", true);
        if (!password) return 1;
        step = account.send_password(*password);
        break;
      }
      case mtproto::LoginStep::needs_qr_scan: {
        std::cout << "\nScan this QR code with the worker account's phone: Telegram > Settings > Devices > "
                     "Link Desktop Device.\n\n";
        auto drawn = qr::render_qr_terminal(view.qr_link);
        // Without a drawing the link itself can be turned into a QR code elsewhere.
        std::cout << (drawn ? *drawn : view.qr_link + "\n") << "\nWaiting for the scan...\n" << std::flush;
        continue;
      }
      case mtproto::LoginStep::ready: {
        auto me = account.me();
        if (!me) {
          std::cerr << "teltubby login: logged in, but getMe failed: " << me.error().describe() << '\n';
          return 1;
        }
        (void)account.session_since(fresh_login);  // for /mtstatus: the session's age
        std::cout << "Logged in as " << me->display_name() << " (user id " << me->user_id << ").\n"
                  << "The session is saved in " << config.mtproto_session_path.string()
                  << "; `teltubby worker` will use it.\n";
        if (auto closed = account.close(); !closed) {
          std::cerr << "teltubby login: TDLib did not close cleanly: " << closed.error().describe() << '\n';
        }
        return 0;
      }
      case mtproto::LoginStep::closed:
        std::cerr << "teltubby login: TDLib closed the session before the login finished\n";
        return 1;
      case mtproto::LoginStep::unsupported:
        std::cerr << "teltubby login: Telegram asks for a step teltubby cannot do (" << view.type
                  << "); log in once with the Telegram app for this number, then try again\n";
        return 1;
    }
    if (!step) {
      const auto problem = mtproto::login_problem(step.error());
      std::cerr << mtproto::describe(problem, step.error()) << '\n';
      if (problem == mtproto::LoginProblem::flood_wait || problem == mtproto::LoginProblem::other) return 1;
      last_shown.clear();  // ask again for the same step
    }
  }
}

}  // namespace

int run_login(CommandArgs args) {
  const auto options = take_env_file(args);
  if (!options) {
    std::cerr << "teltubby login: " << options.error() << '\n' << kUsage;
    return 2;
  }
  const auto& env_file = options->env_file;
  bool use_qr = false;
  for (const auto& arg : options->rest) {
    if (arg != "--qr") {
      std::cerr << "teltubby login: unexpected argument '" << arg << "'\n" << kUsage;
      return 2;
    }
    use_qr = true;
  }
  const auto config = load_startup_config(ConfigRole::any, env_file);
  if (!config) {
    std::cerr << "teltubby login: configuration problems:\n";
    for (const auto& problem : config.error()) std::cerr << "  " << describe(problem) << '\n';
    return 2;
  }
  // The terminal is for the dialogue: log lines go to LOG_FILE or stay quiet below warn.
  LogSettings settings = make_log_settings(*config);
  if (settings.level < LogLevel::warn) settings.level = LogLevel::warn;
  configure_logging(settings);
  try {
    return login_with(*config, use_qr);
  } catch (const FatalError& error) {
    std::cerr << "teltubby login: " << redact(error.what()) << '\n';
    return 1;
  }
}

}  // namespace teltubby::app
