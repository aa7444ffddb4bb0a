#include <gtest/gtest.h>

#include <set>

#include "bot/commands.hpp"

namespace teltubby::bot {
namespace {

TEST(CommandText, SplitsNameAndArguments) {
  auto command = parse_command_text("/Retry   3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f  ");
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->name, "retry");
  EXPECT_EQ(command->args, "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f  ");
  EXPECT_FALSE(command->addressed_to.has_value());
}

TEST(CommandText, KeepsTheBotNameItWasAddressedTo) {
  auto command = parse_command_text("/help@teltubby_bot");
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->name, "help");
  EXPECT_EQ(command->addressed_to, "teltubby_bot");
  EXPECT_EQ(command->args, "");
}

TEST(CommandText, PasswordArgumentKeepsInnerAndTrailingSpaces) {
  auto command = parse_command_text("/mtpass  correct horse ");
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->args, "correct horse ");
}

TEST(CommandText, RejectsWhatIsNotACommand) {
  EXPECT_FALSE(parse_command_text("hello").has_value());
  EXPECT_FALSE(parse_command_text("/").has_value());
  EXPECT_FALSE(parse_command_text("/ help").has_value());
  EXPECT_FALSE(parse_command_text("/he-lp").has_value());
  EXPECT_FALSE(parse_command_text("/help@").has_value());
  EXPECT_FALSE(parse_command_text("").has_value());
}

TEST(CommandText, JobsShortcutCarriesTheIdInTheName) {
  auto command = parse_command_text("/jobs_3F2B8C1E9A4D4F6B8C2E1A2B3C4D5E6F@teltubby_bot");
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->name, "jobs");
  EXPECT_EQ(command->args, "3F2B8C1E9A4D4F6B8C2E1A2B3C4D5E6F");
  EXPECT_EQ(validate_job_id(command->args), "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f");
}

TEST(JobId, ShortcutRoundTripsToTheCanonicalId) {
  const std::string id = "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f";
  const std::string shortcut = job_shortcut(id);
  EXPECT_EQ(shortcut, "/jobs_3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f");
  auto command = parse_command_text(shortcut);
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(validate_job_id(command->args), id);
}

TEST(JobId, AcceptsCanonicalAnyCaseAndUnderscoreSeparators) {
  EXPECT_EQ(validate_job_id(" 3F2B8C1E-9A4D-4F6B-8C2E-1A2B3C4D5E6F "), "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f");
  EXPECT_EQ(validate_job_id("3f2b8c1e_9a4d_4f6b_8c2e_1a2b3c4d5e6f"), "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f");
}

TEST(JobId, RejectsWhatIsNotAVersion4Uuid) {
  for (const char* bad : {"", "123", "3f2b8c1e-9a4d-1f6b-8c2e-1a2b3c4d5e6f" /* version 1 */,
                          "3f2b8c1e-9a4d-4f6b-7c2e-1a2b3c4d5e6f" /* variant */, "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6g",
                          "3f2b8c1e9-a4d-4f6b-8c2e-1a2b3c4d5e6f", "<script>alert(1)</script>xxxxxxxxxxxxxx"}) {
    auto result = validate_job_id(bad);
    ASSERT_FALSE(result.has_value()) << bad;
    EXPECT_EQ(result.error().code, "bot.bad_job_id");
  }
}

TEST(JobIdArgument, NeedsExactlyOneId) {
  EXPECT_TRUE(parse_job_id_arg(" 3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f ").has_value());
  EXPECT_EQ(parse_job_id_arg("").error().code, "bot.bad_arguments");
  EXPECT_EQ(parse_job_id_arg("a b").error().code, "bot.bad_arguments");
}

TEST(PriorityArguments, AcceptsHighAndUrgent) {
  auto high = parse_priority_args("3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f high");
  ASSERT_TRUE(high.has_value());
  EXPECT_EQ(high->priority, JobPriority::high);
  EXPECT_EQ(high->job_id, "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f");
  auto urgent = parse_priority_args("3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f URGENT");
  ASSERT_TRUE(urgent.has_value());
  EXPECT_EQ(urgent->priority, JobPriority::urgent);
  EXPECT_EQ(to_string(urgent->priority), "urgent");
}

TEST(PriorityArguments, RejectsMissingOrUnknownLevelAndBadIds) {
  EXPECT_EQ(parse_priority_args("3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f").error().message,
            "usage: /priority <job id> high|urgent");
  EXPECT_EQ(parse_priority_args("3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f low").error().message,
            "priority must be high or urgent");
  EXPECT_EQ(parse_priority_args("nope high").error().code, "bot.bad_job_id");
}

TEST(LoginCode, StripsSeparatorsTypedToFoolTelegramsCodeDetection) {
  EXPECT_EQ(parse_login_code("1-2-3-4-5"), "12345");
  EXPECT_EQ(parse_login_code(" 12 345 "), "12345");
  EXPECT_EQ(parse_login_code("1.2_3-4 5.6"), "123456");
}

TEST(LoginCode, RejectsNonDigitsAndWrongLengthsWithoutEchoingTheCode) {
  auto letters = parse_login_code("12a45");
  ASSERT_FALSE(letters.has_value());
  EXPECT_EQ(letters.error().code, "bot.bad_login_code");
  EXPECT_EQ(letters.error().message.find("12a45"), std::string::npos);
  EXPECT_FALSE(parse_login_code("1234").has_value());
  EXPECT_FALSE(parse_login_code("123456789").has_value());
  EXPECT_FALSE(parse_login_code("").has_value());
}

TEST(CommandTable, ListsEveryCommandOnceWithValidNames) {
  const std::vector<std::string> expected = {"start", "help",   "status", "quota",    "mode",
                                             "db_maint", "queue", "jobs",   "retry",    "cancel",
                                             "priority", "mtstatus", "mtcode", "mtpass", "mtqr"};
  std::vector<std::string> names;
  for (const auto& spec : command_table()) {
    names.emplace_back(spec.name);
    EXPECT_LE(spec.name.size(), 32U);
    for (char c : spec.name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << spec.name;
    EXPECT_FALSE(spec.description.empty());
    EXPECT_LE(spec.description.size(), 256U);
  }
  EXPECT_EQ(names, expected);
  EXPECT_TRUE(is_known_command("mtqr"));
  EXPECT_FALSE(is_known_command("rm"));
}

TEST(CommandTable, HelpHasOneEscapedLinePerCommand) {
  const std::string help = render_help();
  std::size_t lines = 0;
  for (std::size_t pos = 0; (pos = help.find("\n/", pos)) != std::string::npos; ++pos) ++lines;
  EXPECT_EQ(lines, command_table().size());
  EXPECT_NE(help.find("/priority &lt;job id&gt; high|urgent — Move a job ahead in the queue"), std::string::npos);
  EXPECT_NE(help.find("/start — What this bot does and how to archive"), std::string::npos);
  EXPECT_EQ(help.find("<job id>"), std::string::npos);
}

TEST(CommandTable, SetMyCommandsListMatchesTheTable) {
  auto commands = bot_commands_json();
  ASSERT_EQ(commands.size(), command_table().size());
  EXPECT_EQ(commands[0], (nlohmann::json{{"command", "start"}, {"description", "What this bot does and how to archive"}}));
  EXPECT_EQ(commands[14]["command"], "mtqr");
}

}  // namespace
}  // namespace teltubby::bot
