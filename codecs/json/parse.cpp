#include "codecs/json/parse.hpp"

#include <vector>

#include "codecs/io/error.hpp"

namespace cptx {

namespace {

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
  bool string(string_t& v) { return value(dom_.string(v)); }
  bool binary(binary_t& v) { return value(dom_.binary(v)); }
  bool start_object(std::size_t n) {
    frames_.push_back({false, 0, {}});
    return dom_.start_object(n);
  }
  bool key(string_t& k) {
    frames_.back().key = k;
    return dom_.key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return value(dom_.end_object());
  }
  bool start_array(std::size_t n) {
    frames_.push_back({true, 0, {}});
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
  std::size_t error_offset() const { return error_offset_; }

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
  };

  bool value(bool ok) {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return ok;
  }

  nlohmann::detail::json_sax_dom_parser<model::Json> dom_;
  std::vector<Frame> frames_;
  std::string error_;
  std::size_t error_offset_ = 0;
};

}  // namespace

model::Json parse_json_text(std::string_view text, const std::string& file) {
  model::Json doc;
  PathTracker tracker(doc);
  if (!model::Json::sax_parse(text, &tracker)) {
    // nlohmann prefixes its messages with the exception id and position: keep what follows.
    std::string what = tracker.error();
    if (const auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    if (what.rfind("[json.exception", 0) == 0) what = what.substr(what.find("] ") + 2);
    throw InputError({file, tracker.error_offset() ? tracker.error_offset() - 1 : 0, std::nullopt, tracker.path()},
                     what);
  }
  return doc;
}

}  // namespace cptx
