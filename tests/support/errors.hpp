// Runs `f`, expecting it to reject its input; returns the InputError so that a test can check where
// it points. Records a test failure if nothing is thrown.
#pragma once

#include <gtest/gtest.h>

#include "codecs/io/error.hpp"

namespace cptx::testing {

template <class F>
cptx::InputError input_error_of(F&& f) {
  try {
    f();
  } catch (const cptx::InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected cptx::InputError";
  return cptx::InputError({}, "none thrown");
}

}  // namespace cptx::testing
