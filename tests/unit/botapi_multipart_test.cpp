// multipart/form-data bodies for Bot API uploads (sendPhoto with the QR image).
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "telegram/botapi/multipart.hpp"

namespace teltubby::botapi {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

TEST(Multipart, FieldsThenFilesEachDelimitedAndTheBodyClosed) {
  const std::string image("\x89PNG\r\n\x1a\n\0\1", 10);
  const auto body = multipart_body("b0", {{"chat_id", "42"}, {"caption", "<b>Scan</b>"}},
                                   {{"photo", "qr.png", "image/png", bytes_of(image)}});
  ASSERT_TRUE(body.has_value()) << body.error().describe();
  EXPECT_EQ(*body,
            "--b0\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n"
            "--b0\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n<b>Scan</b>\r\n"
            "--b0\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"qr.png\"\r\n"
            "Content-Type: image/png\r\n\r\n" +
                image + "\r\n--b0--\r\n");
  EXPECT_EQ(multipart_content_type("b0"), "multipart/form-data; boundary=b0");
}

TEST(Multipart, ABoundaryThatOccursInAPartIsRefusedSoTheCallerPicksAnother) {
  EXPECT_EQ(multipart_body("b0", {}, {{"photo", "qr.png", "image/png", bytes_of("xx--b0yy")}}).error().code,
            "botapi.multipart_boundary");
  EXPECT_EQ(multipart_body("b0", {{"caption", "a\r\n--b0"}}, {}).error().code, "botapi.multipart_boundary");
  EXPECT_TRUE(multipart_body("b1", {{"caption", "a\r\n--b0"}}, {}).has_value());
}

TEST(Multipart, NamesThatWouldNeedQuotingAreRefused) {
  EXPECT_EQ(multipart_body("b0", {{"a\"b", "x"}}, {}).error().code, "botapi.multipart_name");
  EXPECT_EQ(multipart_body("b0", {}, {{"photo", "q r.png", "image/png", bytes_of("x")}}).error().code,
            "botapi.multipart_name");
  EXPECT_EQ(multipart_body("bad boundary", {}, {}).error().code, "botapi.multipart_boundary");
}

}  // namespace
}  // namespace teltubby::botapi
