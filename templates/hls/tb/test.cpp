// {{banner}}
// Test bench of {{top}}: replays the input and output vectors written by nac's emulator (exact
// mantissas, one sample per line, '#' lines are comments) and reports every mismatch:
//   csim [DATA_DIR]   reads DATA_DIR/inputs.dat and DATA_DIR/outputs.dat (default tb_data)
// Exits 0 only when every output of every sample equals the emulator's, bit for bit.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../firmware/{{top}}.h"
#include "../firmware/nnet_utils/nnet_common.h"

namespace {{ns}} {
namespace tb {

typedef std::vector<std::vector<long long> > Rows;

// The rows of `width` integers in `path`; false, with a message, when missing or malformed.
inline bool read_rows(const std::string& path, int width, Rows& rows) {
  std::ifstream f(path.c_str());
  if (!f) {
    std::fprintf(stderr, "{{top}} tb: cannot open %s\n", path.c_str());
    return false;
  }
  std::string line;
  for (int number = 1; std::getline(f, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::vector<long long> row;
    long long v = 0;
    while (s >> v) row.push_back(v);
    if (!s.eof() || static_cast<int>(row.size()) != width) {
      std::fprintf(stderr, "{{top}} tb: %s:%d: expected %d integers\n", path.c_str(), number,
                   width);
      return false;
    }
    rows.push_back(row);
  }
  return true;
}

inline int run(const std::string& dir) {
  Rows in, expected;
  if (!read_rows(dir + "/inputs.dat", n_input, in) ||
      !read_rows(dir + "/outputs.dat", n_output, expected))
    return 2;
  if (in.size() != expected.size()) {
    std::fprintf(stderr, "{{top}} tb: %zu input rows but %zu output rows\n", in.size(),
                 expected.size());
    return 2;
  }
  long long mismatches = 0;
  for (std::size_t s = 0; s < in.size(); ++s) {
    input_t x[n_input];
    result_t y[n_output];
    for (int i = 0; i < n_input; ++i) x[i] = nnet::from_raw<input_t>(input_raw_t(in[s][i]));
{{call}}
    for (int j = 0; j < n_output; ++j) {
      const long long got = nnet::mantissa(y[j]).to_int64();
      if (got == expected[s][j]) continue;
      if (mismatches < {{max_reported}})
        std::printf("{{top}} tb: mismatch at sample %zu, output %d: expected %lld, got %lld\n", s,
                    j, expected[s][j], got);
      ++mismatches;
    }
  }
  std::printf("{{top}} tb: %zu samples, %lld mismatches\n", in.size(), mismatches);
  return mismatches == 0 ? 0 : 1;
}

}  // namespace tb
}  // namespace {{ns}}

int {{top}}_tb(const char* data_dir) { return {{ns}}::tb::run(data_dir); }

#ifndef NAC_TB_NO_MAIN
int main(int argc, char** argv) { return {{top}}_tb(argc > 1 ? argv[1] : "tb_data"); }
#endif
