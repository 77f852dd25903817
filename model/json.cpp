#include "model/json.hpp"

#include "model/validate.hpp"

namespace cptx::model {

namespace {
constexpr const char* version_key = "cptx_model";
constexpr const char* machine_key = "machine";
}  // namespace

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(2 * bytes.size(), '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    s[2 * i] = digits[bytes[i] >> 4];
    s[2 * i + 1] = digits[bytes[i] & 0xf];
  }
  return s;
}

std::optional<Bytes> hex_decode(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

Json to_json(const Machine& m) {
  Json doc = Json::object();
  doc[version_key] = schema_version;
  doc[machine_key] = encode_value(m, any());
  return doc;
}

Machine from_json(const Json& doc) {
  std::string path;
  if (!doc.is_object()) throw FieldError("", std::string("expected a JSON object, got ") + doc.type_name());
  const auto version = doc.find(version_key);
  if (version == doc.end()) throw FieldError(version_key, "missing: not a cptx model document");
  if (!version->is_number_unsigned() || version->get<std::uint64_t>() != schema_version)
    throw FieldError(version_key, "expected schema version " + std::to_string(schema_version) + ", got " +
                                      version->dump().substr(0, 40));
  for (const auto& [key, value] : doc.items())
    if (key != version_key && key != machine_key) throw FieldError(key, "unknown field");
  const auto machine = doc.find(machine_key);
  if (machine == doc.end()) throw FieldError(machine_key, "missing");
  Machine m;
  decode_value(*machine, m, any(), path);
  require_valid(m);
  return m;
}

}  // namespace cptx::model
