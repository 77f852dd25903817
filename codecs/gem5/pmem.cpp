#include "codecs/gem5/pmem.hpp"

#include <set>

#include <fmt/format.h>

#include "codecs/io/input_file.hpp"
#include "codecs/io/zero.hpp"

namespace cptx::gem5 {

namespace {

MemoryImage image_from(const CptReader& cpt, const std::string& section, std::string_view size_key) {
  MemoryImage img;
  img.section = section;
  const Entry& name = cpt.required(section, "filename");
  check_image_filename(name.value, cpt.where(section, "filename", name.line));
  img.filename = name.value;
  if (cpt.era() == Era::v24) {
    // range_size is a C++ `long` in v24 (v24 spec §1.6); a negative size is meaningless.
    const auto size = cpt.integer<std::int64_t>(section, size_key);
    if (size < 0) throw InputError(cpt.where(section, size_key), fmt::format("negative size {}", size));
    img.size = static_cast<std::uint64_t>(size);
  } else {
    img.size = cpt.integer<std::uint64_t>(section, size_key);
  }
  return img;
}

}  // namespace

void check_image_filename(std::string_view filename, const Location& where) {
  io::check_name(filename, where);
  auto bad = [&](const char* why) { io::unsafe_name(filename, why, where); };
  if (filename.size() > 255) bad("longer than a file name may be (255 bytes)");
  if (filename.find('/') != std::string_view::npos) bad("contains '/'");
  if (filename.find("..") != std::string_view::npos) bad("contains '..'");
  if (filename == ".") bad("names the directory itself");
}

std::vector<MemoryImage> memory_images_v24(const CptReader& cpt, std::string_view physmem) {
  const auto count = cpt.integer<std::uint32_t>(physmem, "nbr_of_stores");
  std::vector<MemoryImage> images;
  std::set<std::uint32_t> seen;
  // A missing storeN section stops the loop with an error, so a huge count cannot run away.
  for (std::uint32_t n = 0; n < count; ++n) {
    const std::string section = fmt::format("{}.store{}", physmem, n);
    MemoryImage img = image_from(cpt, section, "range_size");
    const Entry& id = cpt.required(section, "store_id");
    img.store_id = cpt.integer<std::uint32_t>(section, "store_id");
    // gem5 indexes its backing stores with store_id unchecked (v24 spec §5); insist on a valid index.
    if (img.store_id >= count || !seen.insert(img.store_id).second)
      throw InputError(cpt.where(section, "store_id", id.line),
                       fmt::format("store_id {} is repeated or not below nbr_of_stores {}", img.store_id, count));
    images.push_back(std::move(img));
  }
  return images;
}

MemoryImage memory_image_2011(const CptReader& cpt, std::string_view physmem) {
  return image_from(cpt, std::string(physmem), "_size");
}

std::vector<MemoryImage> memory_images(const CptReader& cpt) {
  if (cpt.era() == Era::v24) return memory_images_v24(cpt);
  return {memory_image_2011(cpt)};
}

void read_image(std::istream& in, const std::string& name, std::uint64_t size, const io::ChunkSink& sink) {
  io::gunzip_exact(in, name, size, sink, io::GzipReadOptions{.allow_raw = true});
}

void read_image(const std::filesystem::path& cpt_dir, const MemoryImage& image, const io::ChunkSink& sink) {
  const Location key{cpt_dir.string(), std::nullopt, std::nullopt, image.section + ":filename"};
  check_image_filename(image.filename, key);
  // The name is plain, but the file may still be a symlink leading elsewhere, or a FIFO.
  const std::filesystem::path path = io::beneath(cpt_dir, image.filename, key);
  io::require_regular_file(path, key);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Location{path.string(), std::nullopt, std::nullopt, key.key}, "cannot open");
  read_image(in, path.string(), image.size, sink);
}

ImageWriter::ImageWriter(const std::filesystem::path& cpt_dir, const MemoryImage& image, int level, unsigned jobs)
    : size_(image.size) {
  check_image_filename(image.filename, Location{"", std::nullopt, std::nullopt, image.section + ":filename"});
  path_ = cpt_dir / image.filename;
  if (std::filesystem::exists(path_)) throw UsageError(fmt::format("{}: refusing to overwrite", path_.string()));
  out_.open(path_, std::ios::binary);
  try {
    if (!out_) io::write_failed(path_);
    gz_ = std::make_unique<io::GzipWriter>(out_, path_.string(), level, jobs);
  } catch (...) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    throw;
  }
}

ImageWriter::~ImageWriter() {
  if (finished_) return;
  gz_.reset();
  out_.close();
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void ImageWriter::reserve(std::uint64_t count) {
  if (count > size_ - gz_->written() - zeros_)
    throw UsageError(fmt::format("{}: writing past the declared size {}", path_.string(), size_));
}

void ImageWriter::flush_zeros() {
  gz_->write_zeros(zeros_);
  zeros_ = 0;
}

void ImageWriter::write(std::span<const std::uint8_t> data) {
  reserve(data.size());
  constexpr std::size_t page = 4096;
  const auto page_at = [&](std::size_t at) { return data.subspan(at, std::min(page, data.size() - at)); };
  // Non-zero pages go to the compressor a run at a time; zero pages join the zero run.
  while (!data.empty()) {
    std::size_t n = 0;
    while (n < data.size() && !io::all_zero(page_at(n))) n += page_at(n).size();
    if (n > 0) {
      flush_zeros();
      gz_->write(data.first(n));
      data = data.subspan(n);
    }
    std::size_t z = 0;
    while (z < data.size() && io::all_zero(page_at(z))) z += page_at(z).size();
    zeros_ += z;
    data = data.subspan(z);
  }
}

void ImageWriter::write_zeros(std::uint64_t count) {
  reserve(count);
  zeros_ += count;
}

void ImageWriter::finish() {
  flush_zeros();
  if (gz_->written() != size_)
    throw UsageError(fmt::format("{}: {} bytes written, the image declares {}", path_.string(), gz_->written(), size_));
  gz_->finish();
  out_.close();
  if (!out_) io::write_failed(path_);
  finished_ = true;
}

}  // namespace cptx::gem5
