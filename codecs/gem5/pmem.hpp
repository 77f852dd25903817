// Guest memory images of a gem5 checkpoint: which files `m5.cpt` names and how many bytes each must
// hold (v24 spec §1.6: one gzip `system.physmem.storeN.pmem` per backing store; 2011 spec §1.4: one
// gzip `system.physmem.physmem`), and streaming readers/writers for them in constant memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/gem5/lookup.hpp"
#include "codecs/io/gzip_stream.hpp"

namespace cptx::gem5 {

struct MemoryImage {
  std::string section;        // the section naming the file, for error messages
  std::uint32_t store_id = 0;  // v24 backing-store index (base address implied by it); 0 in 2011
  std::string filename;       // a plain file name inside the checkpoint directory
  std::uint64_t size = 0;     // bytes once inflated: v24 `range_size`, 2011 `_size`
};

// v24: `nbr_of_stores` in [physmem], then `store_id`, `filename`, `range_size` in [physmem.storeN],
// N = 0..nbr_of_stores-1. Store ids must be distinct and below nbr_of_stores.
std::vector<MemoryImage> memory_images_v24(const CptReader& cpt, std::string_view physmem = "system.physmem");
// 2011: `filename` and `_size` in [physmem].
MemoryImage memory_image_2011(const CptReader& cpt, std::string_view physmem = "system.physmem");
// The images of either era, chosen by cpt.era().
std::vector<MemoryImage> memory_images(const CptReader& cpt);

// Rejects names that are empty, absolute, contain `/`, `..` or NUL, so that a checkpoint cannot make
// us read or write outside its directory; `where` is the `filename` key.
void check_image_filename(std::string_view filename, const Location& where);

// Streams exactly image.size bytes to `sink` (InputError if the data is shorter or longer, corrupt or
// truncated). Like gem5's reader (zlib gzread), a file without the gzip magic is taken as raw bytes
// (v24 spec §1.6). The path must resolve inside `cpt_dir`.
void read_image(const std::filesystem::path& cpt_dir, const MemoryImage& image, const io::ChunkSink& sink);
void read_image(std::istream& in, const std::string& name, std::uint64_t size, const io::ChunkSink& sink);

// Writes a gzip image as gem5 does. The file must not exist yet; it is removed again if the writer is
// destroyed before finish().
class ImageWriter {
 public:
  // Compresses at gzip `level` on `jobs` threads (io::GzipWriter).
  ImageWriter(const std::filesystem::path& cpt_dir, const MemoryImage& image, int level, unsigned jobs);
  ~ImageWriter();
  ImageWriter(const ImageWriter&) = delete;
  ImageWriter& operator=(const ImageWriter&) = delete;

  // Zero pages in `data` are recognised and, like write_zeros, stored in gzip's cheapest form.
  void write(std::span<const std::uint8_t> data);
  void write_zeros(std::uint64_t count);
  // Throws cptx::UsageError unless exactly image.size bytes were written.
  void finish();

 private:
  void reserve(std::uint64_t count);
  void flush_zeros();

  std::filesystem::path path_;
  std::uint64_t size_;
  std::ofstream out_;
  std::unique_ptr<io::GzipWriter> gz_;
  std::uint64_t zeros_ = 0;  // a zero run not yet handed to gz_: runs across writes splice as one
  bool finished_ = false;
};

}  // namespace cptx::gem5
