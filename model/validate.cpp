#include "model/validate.hpp"

#include <fmt/format.h>

#include "model/domain.hpp"

namespace cptx::model {

namespace {

struct Walker {
  std::vector<Problem>& out;
  std::string path;

  void fail(const std::string& msg) { out.push_back({path, msg}); }

  template <class T>
  void check(const T& v, const Meta& m) {
    if constexpr (Described<T>) {
      for_each_field<T>([&](auto member, std::string_view name, const Meta& fm, std::string_view) {
        PathScope scope(path, name);
        check(v.*member, fm);
      });
    } else if constexpr (NamedEnum<T>) {
      if (static_cast<std::size_t>(v) >= names_of(T{}).size())
        fail(fmt::format("enumeration value {} is undefined", static_cast<unsigned>(v)));
    } else if constexpr (is_unsigned_int<T>) {
      if (!m.typed(8 * sizeof(T)).admits(v))
        fail(integer_expectation(m, 8 * sizeof(T)) + ", got " + std::to_string(v));
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Bytes>) {
      if (v.size() < m.min_len || v.size() > m.max_len)
        fail(fmt::format("expected a length of {}..{}, got {}", m.min_len, m.max_len, v.size()));
    } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, VectorSet> || is_byte_string<T>) {
      // every value of the type is in the domain
    } else if constexpr (is_std_optional<T>::value) {
      if (v) check(*v, m);
    } else if constexpr (is_std_array<T>::value || is_std_vector<T>::value) {
      if constexpr (is_std_vector<T>::value)
        if (v.size() < m.min_len || v.size() > m.max_len)
          fail(fmt::format("expected {}..{} entries, got {}", m.min_len, m.max_len, v.size()));
      for (std::size_t i = 0; i < v.size(); ++i) {
        PathScope scope(path, i);
        check(v[i], m);
      }
    } else {
      static_assert(always_false<T>::value, "model type without validation");
    }
  }
};

// Invariants that no single declaration can state.
void check_invariants(const Machine& m, std::vector<Problem>& out) {
  Machine derived = m;
  derive(derived);
  if (m.platform.cpu_count != derived.platform.cpu_count)
    out.push_back({"platform.cpu_count", fmt::format("is {}, but cpu has {} entries", m.platform.cpu_count,
                                                     derived.platform.cpu_count)});
  if (m.platform.ram_size != derived.platform.ram_size)
    out.push_back({"platform.ram_size", fmt::format("is {}, but memory.regions add up to {}", m.platform.ram_size,
                                                    derived.platform.ram_size)});

  std::uint64_t end = 0;
  for (std::size_t i = 0; i < m.memory.regions.size(); ++i) {
    const RamRegion& r = m.memory.regions[i];
    const std::string path = fmt::format("memory.regions[{}]", i);
    if (r.gpa + r.size < r.gpa)
      out.push_back({path + ".size", "region runs past the end of the 64-bit address space"});
    else if (i > 0 && r.gpa < end)
      out.push_back({path + ".gpa", fmt::format("0x{:x} overlaps or precedes the previous region, which ends at 0x{:x}",
                                                r.gpa, end)});
    end = r.gpa + r.size;
  }

  for (std::size_t i = 0; i < m.cpu.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (m.cpu[i].lapic.id == m.cpu[k].lapic.id)
        out.push_back({fmt::format("cpu[{}].lapic.id", i),
                       fmt::format("APIC id {} is also cpu[{}]'s", m.cpu[i].lapic.id, k)});
}

}  // namespace

void derive(Machine& m) {
  m.platform.cpu_count = static_cast<std::uint32_t>(m.cpu.size());
  std::uint64_t ram = 0;
  for (const auto& r : m.memory.regions) ram += r.size;
  m.platform.ram_size = ram;
}

std::vector<Problem> validate(const Machine& m) {
  std::vector<Problem> out;
  Walker{out, ""}.check(m, any());
  check_invariants(m, out);
  return out;
}

void require_valid(const Machine& m) {
  const auto problems = validate(m);
  if (!problems.empty()) throw FieldError(problems.front().path, problems.front().message);
}

}  // namespace cptx::model
