#include "model/schema.hpp"

#include <functional>
#include <typeindex>

#include <fmt/format.h>

#include "model/machine.hpp"

namespace cptx::model {

namespace {

template <class E>
std::string enum_domain() {
  std::string s = "one of";
  for (const auto n : names_of(E{})) s.append(" `").append(n).append("`");
  return s;
}

std::string length_domain(const Meta& m, const char* what) {
  if (m.max_len == std::numeric_limits<std::size_t>::max()) return "";
  if (m.min_len == m.max_len) return fmt::format("{} {}", m.min_len, what);
  return fmt::format("{}..{} {}", m.min_len, m.max_len, what);
}

// Walks types, not values: one row per declared field.
struct Lister {
  std::vector<FieldInfo>& out;
  bool collapse;

  void row(const std::string& path, const Meta& m, std::string_view doc, std::string type, std::string domain,
           bool leaf) {
    out.push_back({path, std::move(type), std::move(domain), std::string(m.unit), std::string(doc), leaf,
                   m.is_derived, m.is_provenance});
  }

  template <class T>
  void field(const std::string& path, const Meta& m, std::string_view doc) {
    if constexpr (Described<T>) {
      row(path, m, doc, "object", "", false);
      children<T>(path);
    } else if constexpr (is_std_optional<T>::value) {
      using V = typename T::value_type;
      const std::size_t at = out.size();
      field<V>(path, m, doc);
      out[at].type += " or null";
    } else if constexpr ((is_std_array<T>::value || is_std_vector<T>::value) && !is_byte_string<T>) {
      using E = typename T::value_type;
      if constexpr (is_std_array<T>::value)
        row(path, m, doc, fmt::format("list of {}", std::tuple_size_v<T>), "", false);
      else
        row(path, m, doc, "list", length_domain(m, "entries"), false);
      field<E>(path + "[]", m, "");
      if (!Described<E>) {  // a list of leaves is one row, not two
        out[out.size() - 2].type += " " + out.back().type;
        out[out.size() - 2].domain = out.back().domain.empty() ? out[out.size() - 2].domain : out.back().domain;
        out[out.size() - 2].leaf = true;
        out.pop_back();
      }
    } else if constexpr (NamedEnum<T>) {
      row(path, m, doc, "enum", enum_domain<T>(), true);
    } else if constexpr (is_unsigned_int<T>) {
      row(path, m, doc, type_text<T>(m).append(m.is_hex ? " (hex)" : ""), domain_text(m, 8 * sizeof(T)), true);
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Bytes>) {
      row(path, m, doc, type_text<T>(m), length_domain(m, "bytes"), true);
    } else {
      row(path, m, doc, type_text<T>(m), "", true);
    }
  }

  template <class S>
  void children(const std::string& path) {
    struct Child {
      std::string name;
      std::type_index type;
      bool described;
      std::string doc;
      std::function<void(const std::string&, std::string_view)> walk;
    };
    std::vector<Child> kids;
    for_each_field<S>([&](auto member, std::string_view name, const Meta& m, std::string_view doc) {
      using M = std::remove_cvref_t<decltype(std::declval<S&>().*member)>;
      kids.push_back({std::string(name), typeid(M), Described<M>, std::string(doc),
                      [this, m](const std::string& p, std::string_view d) { field<M>(p, m, d); }});
    });
    const std::string prefix = path.empty() ? "" : path + ".";
    for (std::size_t i = 0; i < kids.size();) {
      std::size_t j = i + 1;
      while (collapse && kids[i].described && j < kids.size() && kids[j].type == kids[i].type) ++j;
      std::string name = kids[i].name, doc = kids[i].doc;
      if (j - i > 1) {
        name = "{" + name;
        for (std::size_t k = i + 1; k < j; ++k) {
          name += "," + kids[k].name;
          doc += "; " + kids[k].doc;
        }
        name += "}";
      }
      kids[i].walk(prefix + name, doc);
      i = j;
    }
  }
};

template <class T>
Json schema_of(const Meta& m, std::string_view doc) {
  Json s = Json::object();
  if (!doc.empty()) s["description"] = std::string(doc);
  if constexpr (Described<T>) {
    s["type"] = "object";
    Json props = Json::object();
    Json required = Json::array();
    for_each_field<T>([&](auto member, std::string_view name, const Meta& fm, std::string_view fdoc) {
      using M = std::remove_cvref_t<decltype(std::declval<T&>().*member)>;
      props[std::string(name)] = schema_of<M>(fm, fdoc);
      required.push_back(std::string(name));
    });
    s["properties"] = props;
    s["required"] = required;
    s["additionalProperties"] = false;
  } else if constexpr (is_std_optional<T>::value) {
    s["oneOf"] = Json::array({Json{{"type", "null"}}, schema_of<typename T::value_type>(m, "")});
  } else if constexpr ((is_std_array<T>::value || is_std_vector<T>::value) && !is_byte_string<T>) {
    s["type"] = "array";
    s["items"] = schema_of<typename T::value_type>(m, "");
    if constexpr (is_std_array<T>::value) {
      s["minItems"] = s["maxItems"] = std::tuple_size_v<T>;
    } else {
      s["minItems"] = m.min_len;
      if (m.max_len != std::numeric_limits<std::size_t>::max()) s["maxItems"] = m.max_len;
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    s["type"] = "boolean";
  } else if constexpr (NamedEnum<T>) {
    Json names = Json::array();
    for (const auto n : names_of(T{})) names.push_back(std::string(n));
    s["enum"] = names;
  } else if constexpr (is_unsigned_int<T>) {
    const Meta t = m.typed(8 * sizeof(T));
    Json number = {{"type", "integer"}, {"minimum", t.lo}, {"maximum", t.max_value()}};
    if (t.align) number["multipleOf"] = t.align;
    const std::string domain = domain_text(m, 8 * sizeof(T));
    if (!domain.empty()) s["x-cptx-domain"] = domain;
    if (!m.unit.empty()) s["x-cptx-unit"] = std::string(m.unit);
    s["oneOf"] = Json::array({number, Json{{"type", "string"}, {"pattern", "^0[xX][0-9a-fA-F]{1,16}$"}}});
  } else if constexpr (std::is_same_v<T, VectorSet>) {
    s["type"] = "array";
    s["items"] = {{"type", "integer"}, {"minimum", 0}, {"maximum", 255}};
    s["uniqueItems"] = true;
  } else if constexpr (std::is_same_v<T, std::string>) {
    s["type"] = "string";
    s["minLength"] = m.min_len;
    s["maxLength"] = m.max_len;
  } else if constexpr (is_byte_string<T>) {
    s["type"] = "string";
    if constexpr (is_std_array<T>::value)
      s["pattern"] = fmt::format("^([0-9a-fA-F]{{2}}){{{}}}$", std::tuple_size_v<T>);
    else
      s["pattern"] = fmt::format("^([0-9a-fA-F]{{2}}){{0,{}}}$", m.max_len);
  } else {
    static_assert(always_false<T>::value, "model type without a schema");
  }
  return s;
}

std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::vector<FieldInfo> field_list(bool collapse) {
  std::vector<FieldInfo> out;
  Lister{out, collapse}.children<Machine>("");
  return out;
}

Json json_schema() {
  Json s = Json::object();
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["title"] = "cptx machine model";
  s["type"] = "object";
  s["properties"] = {{"cptx_model", {{"const", schema_version}}}, {"machine", schema_of<Machine>(any(), "")}};
  s["required"] = Json::array({"cptx_model", "machine"});
  s["additionalProperties"] = false;
  return s;
}

std::string markdown_reference() {
  std::string md = fmt::format(
      "# The cptx machine model (schema version {})\n\n"
      "Generated from the model's declarations by `cptx schema --markdown > docs/model.md`; do not edit by hand\n"
      "(a test fails when this file is stale). Paths are written as `cptx diff` and conversion reports name\n"
      "fields; `[]` stands for every index and `{{a,b}}` for sibling fields of the same kind.\n\n"
      "In model JSON, integers are numbers or `\"0x…\"` strings (fields marked hex are written that way),\n"
      "enumerations are their names, byte strings are lowercase hex, vector sets are ascending lists of\n"
      "vectors, and an optional field is `null` when absent. Every key is required and no other key is\n"
      "allowed. Fields marked *derived* must equal what the rest of the state implies. Fields marked\n"
      "*provenance* say where the checkpoint came from, not what the machine is: `cptx diff` leaves them\n"
      "out unless given `--provenance`.\n\n"
      "| field | type | domain | unit | description |\n|---|---|---|---|---|\n",
      schema_version);
  for (const auto& f : field_list(true))
    md += fmt::format("| `{}` | {} | {} | {} | {}{}{} |\n", f.path, cell(f.type), cell(f.domain), cell(f.unit),
                      cell(f.doc), f.derived ? " *(derived)*" : "", f.provenance ? " *(provenance)*" : "");
  return md;
}

}  // namespace cptx::model
