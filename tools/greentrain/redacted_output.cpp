#include "redacted_output.hpp"

#include "core/secrets.hpp"

namespace greentrain::cli {

void write_redacted(std::FILE* to, std::string_view text) {
  auto redacted = detail::redact(text);
  std::fwrite(redacted.data(), 1, redacted.size(), to);
}

RedactingBuffer::~RedactingBuffer() { pass_on(held_.size()); }

RedactingBuffer::int_type RedactingBuffer::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  held_ += traits_type::to_char_type(c);
  if (traits_type::to_char_type(c) == '\n') pass_on_lines();
  return c;
}

std::streamsize RedactingBuffer::xsputn(const char* text, std::streamsize size) {
  held_.append(text, static_cast<std::size_t>(size));
  pass_on_lines();
  return size;
}

int RedactingBuffer::sync() {
  pass_on(held_.size());
  return target_->pubsync();
}

void RedactingBuffer::pass_on(std::size_t size) {
  if (size == 0) return;
  auto redacted = detail::redact(std::string_view(held_).substr(0, size));
  target_->sputn(redacted.data(), static_cast<std::streamsize>(redacted.size()));
  held_.erase(0, size);
}

void RedactingBuffer::pass_on_lines() {
  if (auto end = held_.rfind('\n'); end != std::string::npos) pass_on(end + 1);
}

}  // namespace greentrain::cli
