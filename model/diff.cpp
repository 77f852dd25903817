#include "model/diff.hpp"

#include <fmt/format.h>

#include "model/json_value.hpp"

namespace cptx::model {

namespace {

struct Differ {
  std::vector<Difference>& out;
  std::string path;
  bool provenance = false;

  template <class T>
  void leaf(const T& a, const T& b, const Meta& m) {
    // Shown, not parsed back: a string that is not UTF-8 is shown with replacement characters.
    const auto show = [&](const T& v) { return encode_value(v, m).dump(-1, ' ', false, Json::error_handler_t::replace); };
    if (!(a == b)) out.push_back({path, show(a), show(b), provenance});
  }

  template <class T>
  void compare(const T& a, const T& b, const Meta& m) {
    if constexpr (Described<T>) {
      for_each_field<T>([&](auto member, std::string_view name, const Meta& fm, std::string_view) {
        PathScope scope(path, name);
        const bool outer = provenance;
        provenance = provenance || fm.is_provenance;
        compare(a.*member, b.*member, fm);
        provenance = outer;
      });
    } else if constexpr (is_std_optional<T>::value) {
      if (a && b)
        compare(*a, *b, m);
      else
        leaf(a, b, m);
    } else if constexpr ((is_std_array<T>::value || is_std_vector<T>::value) && !is_byte_string<T>) {
      if (a.size() != b.size())
        out.push_back({path, fmt::format("{} entries", a.size()), fmt::format("{} entries", b.size()), provenance});
      for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        PathScope scope(path, i);
        compare(a[i], b[i], m);
      }
    } else {
      leaf(a, b, m);
    }
  }
};

}  // namespace

bool names_ram_storage(std::string_view path) {
  return path.rfind("memory.regions[", 0) == 0 && path.find(".backing") != std::string_view::npos;
}

std::vector<Difference> diff(const Machine& a, const Machine& b) {
  std::vector<Difference> out;
  Differ{out, ""}.compare(a, b, any());
  return out;
}

}  // namespace cptx::model
