// Copied by nac 0.1.0 (nac synth hls) from its HLS library. Do not edit.
// nac's stand-in for the Vitis HLS stream header (hls_stream.h), for C simulation with g++ of
// projects generated with `--io stream`. With Vitis, its own header is used instead; this file
// implements the documented subset nac's generated code uses: hls::stream<T> with write(),
// read(), read(T&), empty(), size() and the << / >> operators. Reading an empty stream aborts
// with a message (Vitis warns and returns an unspecified value).
//
// Self-contained and C++14, like ap_int.h.
#ifndef NAC_AP_TYPES_HLS_STREAM_H
#define NAC_AP_TYPES_HLS_STREAM_H

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <deque>

namespace hls {

template <typename T>
class stream {
 public:
  stream() {}
  explicit stream(const char* /*name*/) {}
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  void write(const T& v) { q_.push_back(v); }
  T read() {
    if (q_.empty()) {
      std::fprintf(stderr, "hls_stream: read from an empty stream\n");
      std::abort();
    }
    T v = q_.front();
    q_.pop_front();
    return v;
  }
  void read(T& v) { v = read(); }
  bool empty() const { return q_.empty(); }
  bool full() const { return false; }
  std::size_t size() const { return q_.size(); }

  stream& operator<<(const T& v) {
    write(v);
    return *this;
  }
  stream& operator>>(T& v) {
    read(v);
    return *this;
  }

 private:
  std::deque<T> q_;
};

}  // namespace hls

#endif  // NAC_AP_TYPES_HLS_STREAM_H
