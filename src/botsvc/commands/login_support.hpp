#pragma once
// What the worker login commands (/mtcode, /mtpass) share: deleting the message that
// holds the secret.
#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {

// Deletes the command's own message (DESIGN.md section 5: right after reading it,
// whatever becomes of the input). True when it is gone; a failure is logged without
// the message's text.
bool delete_secret_message(CommandContext& context);

}  // namespace teltubby::botsvc
