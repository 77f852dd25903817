#include "model/json.hpp"

#include "model/validate.hpp"

namespace cptx::model {

namespace {
constexpr const char* version_key = "cptx_model";
constexpr const char* machine_key = "machine";
}  // namespace

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
