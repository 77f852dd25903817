// Model JSON text → syntax → model, the path every `json:` input takes.
#include <cstdint>
#include <string_view>

#include "codecs/io/error.hpp"
#include "codecs/json/parse.hpp"
#include "model/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto doc = cptx::parse_json_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    cptx::model::from_json(doc);
  } catch (const cptx::InputError&) {
  } catch (const cptx::model::FieldError&) {
  }
  return 0;
}
