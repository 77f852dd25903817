#include "codecs/json/parse.hpp"

#include <optional>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/json_depth.hpp"

namespace cptx {

namespace {

// The model's largest object has a few dozen keys.
constexpr std::size_t max_object_keys = 1024;

// Builds the document with nlohmann's own DOM builder while keeping track of where it is, so that
// an error inside the parser (a truncated file, a number beyond any range) can say where.
class PathTracker {
 public:
  using number_integer_t = model::Json::number_integer_t;
  using number_unsigned_t = model::Json::number_unsigned_t;
  using number_float_t = model::Json::number_float_t;
  using string_t = model::Json::string_t;
  using binary_t = model::Json::binary_t;

  explicit PathTracker(model::Json& out) : dom_(out, true) {}

  bool null() { return value(dom_.null()); }
  bool boolean(bool v) { return value(dom_.boolean(v)); }
  bool number_integer(number_integer_t v) { return value(dom_.number_integer(v)); }
  bool number_unsigned(number_unsigned_t v) { return value(dom_.number_unsigned(v)); }
  bool number_float(number_float_t v, const string_t& s) { return value(dom_.number_float(v, s)); }
  bool string(string_t& v) { return no_nul(v, "string") && value(dom_.string(v)); }
  bool binary(binary_t& v) { return value(dom_.binary(v)); }
  bool start_object(std::size_t n) {
    frames_.push_back({false, 0, {}, {}});
    return dom_.start_object(n);
  }
  bool key(string_t& k) {
    // nlohmann would keep the last of two equal keys; a document saying two things is refused.
    if (!frames_.back().keys.insert(k).second) return refuse("duplicate key \"" + k + "\"", k);
    // An ordered_json object finds a key by a linear search: bound the keys, bound the work.
    if (frames_.back().keys.size() > max_object_keys)
      return refuse(fmt::format("more than {} keys in one object", max_object_keys), k);
    frames_.back().key = k;
    return no_nul(k, "key") && dom_.key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return value(dom_.end_object());
  }
  bool start_array(std::size_t n) {
    frames_.push_back({true, 0, {}, {}});
    return dom_.start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return value(dom_.end_array());
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string&, const Exception& ex) {
    error_offset_ = position;
    error_ = ex.what();
    return false;
  }

  const std::string& error() const { return error_; }
  std::optional<std::size_t> error_offset() const { return error_offset_; }

  // Model paths leave out the document's "machine" wrapper.
  std::string path() const {
    std::string p;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      if (f.array)
        p += "[" + std::to_string(f.index) + "]";
      else if (!(i == 0 && f.key == "machine"))
        p += (p.empty() ? "" : ".") + f.key;
    }
    return p;
  }

 private:
  struct Frame {
    bool array;
    std::size_t index;
    std::string key;
    std::unordered_set<std::string> keys;  // of an object, so far
  };

  // An error nlohmann does not know about, at the current path (which ends in `key` for a key).
  bool refuse(std::string what, const std::string& key = {}) {
    error_ = std::move(what);
    if (!key.empty()) frames_.back().key = key;
    return false;
  }
  // A NUL would cut a file name short where the operating system reads it.
  bool no_nul(const std::string& s, const char* what) {
    return s.find('\0') == std::string::npos || refuse(std::string(what) + " contains a NUL byte (\\u0000)");
  }

  bool value(bool ok) {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return ok;
  }

  nlohmann::detail::json_sax_dom_parser<model::Json> dom_;
  std::vector<Frame> frames_;
  std::string error_;
  std::optional<std::size_t> error_offset_;
};

}  // namespace

model::Json parse_json_text(std::string_view text, const std::string& file) {
  if (const auto deep = io::json_too_deep(text))
    throw InputError({file, *deep}, fmt::format("nests deeper than {} levels", io::max_json_depth));
  model::Json doc;
  PathTracker tracker(doc);
  if (!model::Json::sax_parse(text, &tracker)) {
    std::string what = tracker.error();
    const auto offset = tracker.error_offset();
    if (!offset) throw InputError({file, std::nullopt, std::nullopt, tracker.path()}, what);
    // nlohmann prefixes its messages with the exception id and position: keep what follows.
    if (const auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    if (what.rfind("[json.exception", 0) == 0) what = what.substr(what.find("] ") + 2);
    throw InputError({file, *offset ? *offset - 1 : 0, std::nullopt, tracker.path()}, what);
  }
  return doc;
}

}  // namespace cptx
