#pragma once
// The table of every configuration variable (DESIGN.md section 7): name, default,
// description, how secret it is, and which roles need it. It is the single source for
// the loader (defaults are parsed from `default_text`), the printer (`teltubby config`)
// and the README table (`teltubby config --markdown`).
#include <span>
#include <string>
#include <string_view>

namespace teltubby {

// Which process is starting decides which variables must be set: `teltubby slug` needs
// nothing, `bot` needs the bot token, whitelist and S3, `worker` needs the MTProto app
// credentials and S3. Values that are set are validated whatever the role.
enum class ConfigRole { any, bot, worker };

constexpr unsigned role_bit(ConfigRole role) {
  switch (role) {
    case ConfigRole::any:
      return 0;
    case ConfigRole::bot:
      return 1;
    case ConfigRole::worker:
      return 2;
  }
  return 0;
}
inline constexpr unsigned kForBot = role_bit(ConfigRole::bot);
inline constexpr unsigned kForWorker = role_bit(ConfigRole::worker);

std::string_view to_string(ConfigRole role);

enum class Secrecy {
  none,       // shown as is
  partial,    // an identifier worth hiding from casual eyes: first 4 characters shown
  secret,     // a credential: at most the first 2 characters shown, registered for redaction
  bot_token,  // a credential whose numeric bot id (before the colon) is public
};

struct ConfigVariable {
  std::string_view name;
  std::string_view group;  // heading in `teltubby config` output
  // Used when the variable is unset or empty; "" means no default. Paths may start with
  // `${TELTUBBY_DATA_DIR}`, which is replaced by that variable's effective value (this
  // substitution applies to defaults only: values given by the user are taken literally).
  std::string_view default_text;
  std::string_view description;
  Secrecy secrecy = Secrecy::none;
  unsigned required_for = 0;  // bit mask of role_bit(); 0 = optional for every role
};

std::span<const ConfigVariable> config_variables();
// nullptr when `name` is not a configuration variable.
const ConfigVariable* find_config_variable(std::string_view name);

// What may be shown of `value` in printed configuration and problem reports.
std::string mask_value(std::string_view value, Secrecy secrecy);

inline constexpr std::string_view kDataDirPlaceholder = "${TELTUBBY_DATA_DIR}";

}  // namespace teltubby
