// Context mappings as tables: one row per Palacios entry (tag, exact size) with the transform between
// its bytes and the model. The reader, the writer and the loader-order test all walk the same rows,
// in the order Palacios's load functions request them (§2, §3).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "codecs/mapping.hpp"
#include "codecs/palacios/entry.hpp"
#include "model/machine.hpp"
#include "reports/coverage.hpp"

namespace cptx::palacios {

// What the tables translate: the model, plus the Palacios-only values a context needs that the model
// does not hold. On read they are filled from the checkpoint and resolved afterwards; on write they
// are chosen beforehand (from a skeleton, or defaults).
struct State {
  struct Core {
    // Hardware view and shadow-paging guest view of CR0/CR3/EFER (§2.5, P6).
    std::uint64_t cr0 = 0, cr3 = 0, efer = 0, guest_cr0 = 0, guest_cr3 = 0, guest_efer = 0;
    std::uint32_t run_state = 0;
    std::uint32_t fp_state_type = 1;
    std::vector<std::uint8_t> vmcb;  // 4096 bytes: the VMCB page (§3.12.3)
  };
  model::Machine m;
  std::vector<Core> core;
  std::uint64_t pit_counter = 0, pit_reload = 0;  // host cycles (§3.2)
  // Findings made while translating, for the conversion report.
  struct Note {
    std::string path;
    Carry carry;
    std::string text;
  };
  std::vector<Note> notes;
};

// A value that cannot be translated; the reader turns it into an InputError at the entry.
struct FieldProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A row of a context's table. Its coverage is its rule for `path`: exact at the entry unless the
// row says what the entry loses.
struct Field {
  std::string tag;  // "" for a row without an entry (rule_row)
  std::size_t size;
  std::string path;  // the model field it maps, or "" for Palacios-only state
  std::function<void(const State&, std::span<std::uint8_t>)> put;
  std::function<void(State&, std::span<const std::uint8_t>)> get;
  mapping::Rule rule = mapping::exact({});
};
using Fields = std::vector<Field>;

// A row whose entry loses something of its member on the way, as `r` says.
Field lossy(Field f, mapping::Rule r);
// A row without an entry of its own: what the context does to `path` through its other entries, or
// that Palacios does not hold it. The reader and the writer pass it by.
Field rule_row(std::string path, mapping::Rule r);

std::uint64_t get_le(std::span<const std::uint8_t> in);
void put_le(std::span<std::uint8_t> out, std::uint64_t v);

// An integer (or bool or enum with Palacios's values) at bit `shift` of a little-endian value of `size`
// bytes, held in State (which the model does not describe) for the model field at `path`. `obj`
// returns the object holding `member`, for a const or mutable State. Reading keeps bits
// [shift, shift + width of the member) and notes any other set bit as not carried.
template <class Obj, class Class, class T>
Field state_num(std::string tag, std::size_t size, std::string path, Obj obj, T Class::*member, unsigned shift = 0) {
  auto put = [obj, member, shift](const State& s, std::span<std::uint8_t> out) {
    put_le(out, static_cast<std::uint64_t>(obj(s).*member) << shift);
  };
  auto get = [obj, member, shift, tag, path](State& s, std::span<const std::uint8_t> in) {
    const std::uint64_t raw = get_le(in);
    constexpr unsigned width = std::is_same_v<T, bool> ? 1 : 8 * sizeof(T);
    const std::uint64_t mask = width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
    const std::uint64_t v = (raw >> shift) & mask;
    if (shift >= 64 || (v << shift) != raw)
      s.notes.push_back({path, Carry::approximated,
                         "Palacios " + tag + " has bits outside the model field; they were dropped"});
    if constexpr (model::NamedEnum<T>)
      if (v >= model::names_of(T{}).size())
        throw FieldProblem("value " + std::to_string(v) + " out of range 0-" +
                           std::to_string(model::names_of(T{}).size() - 1));
    obj(s).*member = static_cast<T>(v);
  };
  return {std::move(tag), size, std::move(path), put, get};
}

// The same for a member of a model struct at `owner` (`pic.master`): the member names its path.
template <class Obj, model::Described Class, class T>
Field num(std::string tag, std::size_t size, const std::string& owner, Obj obj, T Class::*member, unsigned shift = 0) {
  return state_num(std::move(tag), size, owner + "." + std::string(mapping::member_name(member)), obj, member, shift);
}

// A Palacios-only value: written as `value`, not checked on read (Palacios recomputes or ignores it).
Field fixed(std::string tag, std::size_t size, std::uint64_t value);

// Bytes of the model carried verbatim (VectorSet, byte arrays).
Field vector_set(std::string tag, std::string path, std::function<const model::VectorSet&(const State&)> cget,
                 std::function<model::VectorSet&(State&)> mget);

// Reads one context against its table: every row's tag and exact size in order, as Palacios's load
// function requests them; anything else is an InputError at the entry. Entries after the last row
// are an error too (Palacios ignores them, but a checkpoint it wrote never has any).
void read_fields(EntryReader& in, const Fields& fields, State& s);
void write_fields(EntryWriter& out, const Fields& fields, const State& s);

}  // namespace cptx::palacios
