#include "model/tree.hpp"

#include "model/json_value.hpp"

namespace cptx::model {

namespace {

struct Walker {
  std::vector<Node>& out;
  std::string path;
  std::size_t depth = 0;
  bool provenance = false;

  void add(std::string_view name, bool leaf, std::string value, const Meta& m) {
    out.push_back({path, std::string(name), depth, leaf, std::move(value), std::string(m.unit), provenance});
  }

  template <class T>
  void children(const T& v, const Meta& m) {
    if constexpr (Described<T>) {
      for_each_field<T>([&](auto member, std::string_view name, const Meta& fm, std::string_view) {
        PathScope scope(path, name);
        const bool outer = provenance;
        provenance = provenance || fm.is_provenance;
        walk(v.*member, name, fm);
        provenance = outer;
      });
    } else {
      for (std::size_t i = 0; i < v.size(); ++i) {
        PathScope scope(path, i);
        walk(v[i], "[" + std::to_string(i) + "]", m);
      }
    }
  }

  template <class T>
  void walk(const T& v, std::string_view name, const Meta& m) {
    if constexpr (is_std_optional<T>::value) {
      if (v)
        walk(*v, name, m);
      else
        add(name, true, "none", m);
    } else if constexpr (Described<T> || ((is_std_array<T>::value || is_std_vector<T>::value) && !is_byte_string<T>)) {
      add(name, false, "", m);
      ++depth;
      children(v, m);
      --depth;
    } else if constexpr (is_unsigned_int<T>) {
      add(name, true, m.is_hex ? fmt::format("0x{:x}", v) : std::to_string(v), m);
    } else if constexpr (std::is_same_v<T, std::string>) {
      add(name, true, encode_value(v, m).dump(-1, ' ', false, Json::error_handler_t::replace), m);
    } else {
      const Json j = encode_value(v, m);
      // Byte strings are hex, an empty one "(empty)" so that every line has a value.
      add(name, true, !j.is_string() ? j.dump() : j.get<std::string>().empty() ? "(empty)" : j.get<std::string>(), m);
    }
  }
};

}  // namespace

std::vector<Node> tree(const Machine& m) {
  std::vector<Node> out;
  Walker w{out, "", 0, false};
  w.children(m, any());
  return out;
}

}  // namespace cptx::model
