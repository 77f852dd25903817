// One line per plain field: a vmstate field (and element) ↔ a model member, with its rule. Reader,
// writer and coverage of a device all walk the same table (the rows of codecs/mapping.hpp, with
// QEMU's locator). A row without a field says what QEMU does to a member it does not save.
#pragma once

#include <span>
#include <string_view>
#include <variant>

#include "codecs/mapping.hpp"
#include "codecs/qemu/vmstate.hpp"

namespace cptx::qemu {

template <class S>
struct Bind {
  std::string_view field;
  std::size_t index;
  std::variant<std::uint8_t S::*, std::uint16_t S::*, std::uint32_t S::*, std::uint64_t S::*, bool S::*> member;
  mapping::Rule rule = mapping::exact({});
};

// A member only the code beside the table maps (a field with another encoding), or one QEMU does
// not save: its rule, with no field for load and store.
template <class S, class M>
constexpr Bind<S> beside(M S::*member, mapping::Rule rule) {
  return {{}, 0, member, rule};
}

template <class S>
void load(const Record& r, S& s, std::span<const Bind<S>> table) {
  for (const auto& b : table)
    if (!b.field.empty())
      std::visit(
          [&](auto m) {
            using T = std::remove_reference_t<decltype(s.*m)>;
            const std::uint64_t v = r.get(b.field, b.index);
            if constexpr (std::is_same_v<T, bool>)
              s.*m = v != 0;
            else
              s.*m = static_cast<T>(v);
          },
          b.member);
}

template <class S>
void store(const S& s, Record& r, std::span<const Bind<S>> table) {
  for (const auto& b : table)
    if (!b.field.empty()) std::visit([&](auto m) { r.set(b.field, static_cast<std::uint64_t>(s.*m), b.index); }, b.member);
}

// The table's coverage: every member, under `model_path`, as its row says, at its field of `section`.
template <class S>
void cover(mapping::Coverage& c, std::string_view model_path, std::string_view section, std::span<const Bind<S>> table) {
  for (const auto& b : table) {
    const std::string_view name = std::visit([](auto m) { return mapping::member_name(m); }, b.member);
    std::string text;
    if (!b.field.empty()) {
      text = std::string("vmstate ").append(section).append(" ").append(b.field);
      if (b.index) text.append("[").append(std::to_string(b.index)).append("]");
      if (!b.rule.text.empty()) text.append(": ");
    }
    c.mapped(std::string(model_path).append(".").append(name), b.rule.carry, text.append(b.rule.text));
  }
}

}  // namespace cptx::qemu
