// Words for a field's type and domain, shared by error messages, the JSON Schema and docs/model.md.
#pragma once

#include <stdexcept>
#include <string>

#include "model/describe.hpp"

namespace cptx::model {

// A value that breaks its declaration, found while decoding or validating; `path` names the
// field as diff does (`cpu[0].segments.cs.base`).
class FieldError : public std::runtime_error {
 public:
  FieldError(std::string path, const std::string& what)
      : std::runtime_error(path + ": " + what), path_(std::move(path)) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// "0..15", "multiple of 4096", "bits 0xf8 only"; empty when the C++ type is the only bound.
std::string domain_text(const Meta& m, unsigned type_bits);

// What an integer field accepts, for the message that rejects a value.
std::string integer_expectation(const Meta& m, unsigned type_bits);

template <class T>
std::string type_text(const Meta& m) {
  if constexpr (std::is_same_v<T, bool>) {
    return "bool";
  } else if constexpr (NamedEnum<T>) {
    return "enum";
  } else if constexpr (is_unsigned_int<T>) {
    const unsigned width = m.bits ? m.bits : 8 * sizeof(T);
    return std::string("u").append(std::to_string(width));
  } else if constexpr (std::is_same_v<T, VectorSet>) {
    return "vector set (256 bits)";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "string";
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return "bytes";
  } else if constexpr (is_byte_string<T>) {
    return std::to_string(std::tuple_size_v<T>) + " bytes";
  } else {
    static_assert(always_false<T>::value, "not a leaf type");
  }
}

}  // namespace cptx::model
