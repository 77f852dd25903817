#!/usr/bin/env bash
# Set-up, build, demonstration and tests on a fresh Debian machine. Run as root (or with sudo).
#   tools/dev.sh demo   install what is missing, build, and show a whole migration: the corpus Linux guest
#                       checkpointed in QEMU, translated to Palacios and gem5 and back, resumed
#   tools/dev.sh test   install what is missing, build with warnings as errors, run every test,
#                       then run them again in an AddressSanitizer + UndefinedBehaviorSanitizer build
#                       (all but the cases that run guests; fuzz seeds and saved inputs are replayed
#                       in both, and each fuzz target runs a few seconds there; campaigns: fuzz/run)
#   tools/dev.sh matrix build and write docs/fidelity.md and docs/fidelity.html: what each conversion
#                       between two formats carries of each device, from the reports (tools/fidelity_matrix)
#   tools/dev.sh bench  build and run the benchmark (bench/run, which writes docs/performance.md; not part
#                       of the tests; arguments go to bench/run)
set -euo pipefail
cd "$(dirname "$0")/.."

# pigz, xxd and time: the references bench/run measures against, and its smoke test runs in the suite.
packages=(cmake ninja-build g++ ccache libgtest-dev librapidcheck-dev libfmt-dev zlib1g-dev nlohmann-json3-dev
          libcli11-dev qemu-system-x86 libpugixml-dev pigz xxd time)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR [cmake options...]
build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

case "${1:-}" in
  demo)
    install_missing
    build build/demo -DCMAKE_BUILD_TYPE=Release -DCPTX_TESTS=OFF
    out=$(mktemp -d)
    build/demo/oracles/cptx-oracle --guest linux --stop-after 10 --through palacios,gem5 --keep "$out"
    echo
    echo "The Palacios checkpoint the guest passed through, as cptx sees it:"
    build/demo/cli/cptx info "$out/hop1-palacios"
    rm -rf "$out"
    ;;
  test)
    packages+=(clang libclang-rt-14-dev)  # the sanitizer build is clang's, with libFuzzer
    packages+=(chromium)                  # the HTML report's test renders it headless (label browser)
    install_missing
    build build/release -DCMAKE_BUILD_TYPE=Release -DCPTX_WERROR=ON
    ctest --test-dir build/release --output-on-failure -j "$(nproc)"
    # The sanitizer build is also the fuzzing build: its fuzz targets replay their seeds and saved
    # inputs, then each fuzzes for a few seconds (the tests labelled `fuzz`).
    build build/sanitize -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
      -DCPTX_WERROR=ON -DCPTX_SANITIZE=ON -DCPTX_LIBFUZZER=ON -DCPTX_LIVE_TESTS=OFF
    # The release run draws 500 cases per property; under the sanitizers, whose work is memory errors
    # rather than rare values, 100 keep the suite within its time. The cases labelled `live` run guests
    # in QEMU: their time goes to the emulator, and the conversions they make run under the sanitizers
    # in the corpus and chain tests, so the sanitizer build leaves them out (CPTX_LIVE_TESTS=OFF). Two
    # more kinds run in the release build only: the 4 GiB guest (the 8 GiB guest takes every path it
    # takes, and more), bench_smoke (a script driving the cptx the other tests check), and the corpus
    # chains through Palacios's textfile store, whose time goes to spelling whole RAMs out in hex
    # (the store's tests and fuzz target check that code under the sanitizers).
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 RC_PARAMS="max_success=100" \
      ctest --test-dir build/sanitize --output-on-failure -j "$(nproc)" \
      -E '^(LargeGuest\.FourGiB.*|bench_smoke|Corpus/CorpusChain\..*palacios_textfile.*)$'
    ;;
  bench)
    packages+=(libdeflate-dev)  # inflating whole buffers, compared with cptx's streamed zlib
    install_missing
    build build/release -DCMAKE_BUILD_TYPE=Release
    shift
    bench/run --build build/release "$@"
    ;;
  matrix)
    install_missing
    build build/release -DCMAKE_BUILD_TYPE=Release
    build/release/tools/fidelity_matrix . docs/fidelity.md docs/fidelity.html
    ;;
  *)
    echo "usage: tools/dev.sh demo|test|matrix|bench" >&2
    exit 2
    ;;
esac
