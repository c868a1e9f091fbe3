#include "nac/hls/layers.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/graph/quant/constants.hpp"
#include "nac/hls/cpp_names.hpp"

namespace nac::hls {
namespace {

std::string num(long long v) { return std::to_string(v); }

// One struct member line: "  static const int name = value;\n".
std::string member(const char* type, const std::string& name, const std::string& value) {
  return std::string("  static const ") + type + " " + name + " = " + value + ";\n";
}
std::string typedef_line(const std::string& type, const std::string& name) {
  return "  typedef " + type + " " + name + ";\n";
}

class Lowerer {
 public:
  Lowerer(const Graph& g, const std::vector<OpQuant>& q, const HlsOptions& opt)
      : g_(g), q_(q), opt_(opt), ids_(node_identifiers(g)) {}

  LoweredGraph run() {
    const auto inputs = g_.input_ids();
    if (inputs.size() != 1 || inputs[0] != 0)
      throw GraphError(
          "the HLS generator needs exactly one input node, the graph's first; this "
          "graph has " +
          std::to_string(inputs.size()));
    out_.layers.resize(static_cast<std::size_t>(g_.size()));
    for (int id = 0; id < g_.size(); ++id) lower(id);
    const LayerCode& first = out_.layers.front();
    const LayerCode& last = out_.layers.back();
    out_.input_type = first.out_type;
    out_.output_type = last.out_type;
    out_.n_input = first.out_size;
    out_.n_output = last.out_size;
    check_unique_names();
    return std::move(out_);
  }

 private:
  [[noreturn]] void refuse(const Node& n, const std::string& why) const {
    throw GraphError("node '" + n.name + "' (" + op_name(n.op) + "): the HLS generator " + why);
  }

  // Refuses an intermediate the generated C++ would form wider than it can hold.
  void check_width(const Node& n, const std::string& what, const FixedFormat& f) const {
    const int limit = f.is_signed ? kMaxIntermediateWidth : kMaxIntermediateWidth - 1;
    if (f.width > limit)
      refuse(n, "cannot form " + what + ": it is " + std::to_string(f.width) + " bits wide (" +
                    f.str() +
                    "), the generated code supports intermediates of at "
                    "most " +
                    std::to_string(kMaxIntermediateWidth) + " bits; narrow the formats involved");
  }

  int reuse_of(const Node& n, int limit) const {
    const int r = opt_.reuse > 0 ? opt_.reuse : n.reuse_factor;
    if (r < 1) refuse(n, "needs a reuse factor >= 1, the node has " + std::to_string(r));
    return std::max(1, std::min(r, limit));
  }

  // The typedef <id>_<role>_t of a format; returns its name.
  std::string type(LayerCode& c, const std::string& role, const FixedFormat& f) {
    const std::string name = c.id + "_" + role + "_t";
    c.types.push_back({name, fixed_type(f)});
    return name;
  }
  std::string raw(LayerCode& c, const std::string& role, const FixedFormat& f) {
    return type_raw(c, role + "_raw", f);
  }
  std::string type_raw(LayerCode& c, const std::string& role, const FixedFormat& f) {
    const std::string name = c.id + "_" + role + "_t";
    c.types.push_back({name, raw_type(f)});
    return name;
  }
  std::string array(LayerCode& c, const std::string& suffix, const std::string& raw_name,
                    std::vector<std::int64_t> values, const std::string& what) {
    const std::string name = c.id + "_" + suffix;
    c.arrays.push_back({name, raw_name, std::move(values), what});
    return name;
  }

  // The output array declaration.
  void declare_out(LayerCode& c, const std::string& type_name, std::size_t size) {
    c.out = c.id + "_out";
    c.out_type = type_name;
    c.out_size = size;
    c.body += declare(type_name, c.out, size);
  }
  static std::string declare(const std::string& type_name, const std::string& var,
                             std::size_t size) {
    return "  " + type_name + " " + var + "[" + std::to_string(size) + "];\n" +
           "#pragma HLS ARRAY_PARTITION variable=" + var + " complete dim=0\n";
  }

  // The table struct members (size, m_lo, shift, raw type) of a built table.
  static std::string table_members(const Table& t, const std::string& raw_name) {
    return member("int", "size", num(t.spec.size)) +
           member("long long", "m_lo", int_literal(t.m_lo)) + member("int", "shift", num(t.shift)) +
           typedef_line(raw_name, "table_raw_t") + typedef_line(raw_name, "raw_t");
  }

  void check_table(const Node& n, const std::string& name, const Table& t) const {
    if (t.spec.size > kMaxTableSize)
      refuse(n, "emits tables of at most " + std::to_string(kMaxTableSize) + " entries; table '" +
                    name + "' has " + std::to_string(t.spec.size) +
                    " (set a smaller quant.tables." + name + ".size)");
  }

  // A table's constant array and struct; returns the array name.
  std::string table(LayerCode& c, const Node& n, const OpQuant& oq, const std::string& name,
                    const FixedFormat& out_fmt, const std::string& struct_name) {
    const Table& t = oq.table(name);
    check_table(n, name, t);
    const std::string raw_name = type_raw(c, name + "_raw", out_fmt);
    c.configs += "struct " + struct_name + " {\n" + table_members(t, raw_name) + "};\n";
    return array(c, name + "_table", raw_name, t.entries,
                 std::string(table_function_name(t.spec.function)) + " table of node '" + n.name +
                     "': " + std::to_string(t.spec.size) + " entries of " + out_fmt.str() +
                     " over [" + fmt_double(t.spec.lo) + ", " + fmt_double(t.spec.hi) + ") of " +
                     t.spec.input.str());
  }

  static std::string fmt_double(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }

  // Weights and biases of a weighted sum (dense rule); returns {weights, biases} array names and
  // fills the config's type members. Without a bias the bias array is zeros of the accumulator
  // format and has_bias is false (the kernel then starts from 0 and never reads it).
  struct Sum {
    std::string w, b, members;
    int zeros = 0;
  };
  Sum weighted(LayerCode& c, const Node& n, const OpQuant& oq, const std::string& prefix,
               const char* w_param, const char* b_param, const FixedFormat& x,
               const FixedFormat& acc, const std::string& acc_type) {
    check_width(n, "the product of its input " + x.str() + " and weights " + oq.weight->str(),
                product_format(x, *oq.weight));
    Sum s;
    const Param& wp = n.param(w_param);
    std::vector<std::int64_t> wm = quantize_param(wp, *oq.weight);
    s.zeros = static_cast<int>(std::count(wm.begin(), wm.end(), 0));
    const std::string wt = c.id + "_weight_t", wr = c.id + "_weight_raw_t";
    s.w = array(c, prefix + "w", wr, std::move(wm),
                std::string("weights ") + w_param + " of node '" + n.name + "' " +
                    shape_str(wp.value.shape) + " in " + oq.weight->str() +
                    (wp.mask.empty() ? "" : " (pruned entries are 0)"));
    const Param* bp = n.find_param(b_param);
    std::string bt = c.id + "_bias_t", br = c.id + "_bias_raw_t";
    std::vector<std::int64_t> bm;
    if (bp) {
      bm = quantize_param(*bp, *oq.bias);
    } else {
      bt = acc_type;
      br = acc_raw_type(c, acc_type, acc);
      bm.assign(static_cast<std::size_t>(n.param(w_param).value.dim(1)), 0);
    }
    s.b = array(
        c, prefix + "b", br, std::move(bm),
        bp ? std::string("biases ") + b_param + " of node '" + n.name + "' in " + oq.bias->str()
           : std::string("no bias: zeros, never read (has_bias = false)"));
    s.members = member("bool", "has_bias", bp ? "true" : "false") +
                member("int", "n_zeros", num(s.zeros)) + typedef_line(acc_type, "accum_t") +
                typedef_line(wt, "weight_t") + typedef_line(wr, "weight_raw_t") +
                typedef_line(bt, "bias_t") + typedef_line(br, "bias_raw_t");
    return s;
  }

  // The raw type of an accumulator typedef "<x>_t" (only for the zero bias of a layer without
  // one): "<x>_raw_t".
  static std::string acc_raw_type(LayerCode& c, const std::string& acc_type,
                                  const FixedFormat& acc) {
    const std::string name = acc_type.substr(0, acc_type.size() - 2) + "_raw_t";
    for (const auto& t : c.types)
      if (t.name == name) return name;
    c.types.push_back({name, raw_type(acc)});
    return name;
  }

  void weight_and_bias_types(LayerCode& c, const Node& n, const OpQuant& oq) {
    type(c, "weight", *oq.weight);
    raw(c, "weight", *oq.weight);
    bool has_bias = false;
    for (const auto& p : n.params)
      has_bias = has_bias || p.name == "bias" || p.name.find("_bias") != std::string::npos;
    if (has_bias) {
      type(c, "bias", *oq.bias);
      raw(c, "bias", *oq.bias);
    }
  }

  static std::string strategy(int reuse) { return reuse > 1 ? "nnet::resource" : "nnet::latency"; }

  std::string reuse_members(int reuse) const {
    return member("int", "reuse_factor", num(reuse)) + member("int", "strategy", strategy(reuse));
  }

  // Inputs as the op sees them: casts into quant.input when annotated.
  std::vector<std::string> inputs(LayerCode& c, const Node& n, const OpQuant& oq,
                                  std::vector<std::string>& types_out) {
    std::vector<std::string> arrays;
    std::string cast_type;
    if (oq.cast) cast_type = type(c, "input", *oq.cast);
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      const LayerCode& src = out_.layers[static_cast<std::size_t>(n.inputs[k])];
      if (!oq.cast) {
        arrays.push_back(src.out);
        types_out.push_back(src.out_type);
        continue;
      }
      const std::string var = c.id + "_in" + std::to_string(k);
      c.body += declare(cast_type, var, src.out_size);
      c.body += "  nnet::convert<" + src.out_type + ", " + cast_type + ", " +
                std::to_string(src.out_size) + ">(" + src.out + ", " + var + ");\n";
      arrays.push_back(var);
      types_out.push_back(cast_type);
    }
    return arrays;
  }

  void lower(int id) {
    const Node& n = g_.node(id);
    const OpQuant& oq = q_[static_cast<std::size_t>(id)];
    LayerCode& c = out_.layers[static_cast<std::size_t>(id)];
    c.node = id;
    c.id = ids_[static_cast<std::size_t>(id)];
    const std::size_t size = shape_size(n.shape);
    const std::string res = type(c, "result", oq.result);
    if (n.op == OpKind::Input) {
      c.out = "input";
      c.out_type = res;
      c.out_size = size;
      c.summary = "input " + shape_str(n.shape) + " in " + oq.result.str();
      return;
    }
    std::vector<std::string> in_types;
    const std::vector<std::string> in = inputs(c, n, oq, in_types);
    const FixedFormat& x = oq.in.at(0);
    const std::string cfg = c.id + "_config";
    const Shape& in_shape = g_.node(n.inputs.at(0)).shape;
    c.body = "  // node '" + n.name + "' (" + op_name(n.op) + "): " + shape_str(in_shape) + " -> " +
             shape_str(n.shape) + "\n" + c.body;
    std::string call;
    switch (n.op) {
      case OpKind::Input:
        break;
      case OpKind::Dense: {
        const int fin = in_shape.back(), units = n.shape.back();
        const int rows = static_cast<int>(size) / units;
        c.reuse = reuse_of(n, fin);
        weight_and_bias_types(c, n, oq);
        const std::string acc = type(c, "accum", *oq.accum);
        const Sum s = weighted(c, n, oq, "", "weight", "bias", x, *oq.accum, acc);
        c.configs += "struct " + cfg + " : nnet::dense_config {\n" +
                     member("int", "n_rows", num(rows)) + member("int", "n_in", num(fin)) +
                     member("int", "n_out", num(units)) + reuse_members(c.reuse) + s.members +
                     "};\n";
        call = "nnet::dense<" + in_types[0] + ", " + res + ", " + cfg + ">(" + in[0] + ", %OUT%, " +
               s.w + ", " + s.b + ");";
        c.summary = "dense " + shape_str(in_shape) + " -> " + shape_str(n.shape) + ", " +
                    num(s.zeros) + " of " + num(static_cast<long long>(fin) * units) +
                    " weights zero (pruned)";
        break;
      }
      case OpKind::Conv2D: {
        const int k = static_cast<int>(n.attr_int("kernel"));
        const bool same = n.attr_str("padding", "valid") == "same";
        const int cin = in_shape[2], filters = n.shape[2];
        const int patch = k * k * cin;
        c.reuse = reuse_of(n, patch);
        weight_and_bias_types(c, n, oq);
        const std::string acc = type(c, "accum", *oq.accum);
        const Sum s = weighted(c, n, oq, "", "weight", "bias", x, *oq.accum, acc);
        c.configs +=
            "struct " + cfg + " : nnet::conv2d_config {\n" +
            member("int", "in_h", num(in_shape[0])) + member("int", "in_w", num(in_shape[1])) +
            member("int", "n_chan", num(cin)) + member("int", "kernel", num(k)) +
            member("int", "pad", num(same ? (k - 1) / 2 : 0)) +
            member("int", "out_h", num(n.shape[0])) + member("int", "out_w", num(n.shape[1])) +
            member("int", "n_filt", num(filters)) + member("int", "n_rows", "1") +
            member("int", "n_in", num(patch)) + member("int", "n_out", num(filters)) +
            reuse_members(c.reuse) + s.members + "};\n";
        call = "nnet::conv2d<" + in_types[0] + ", " + res + ", " + cfg + ">(" + in[0] +
               ", %OUT%, " + s.w + ", " + s.b + ");";
        c.summary = "conv2d " + num(k) + "x" + num(k) + (same ? " same " : " valid ") +
                    shape_str(in_shape) + " -> " + shape_str(n.shape) + ", " + num(s.zeros) +
                    " of " + num(static_cast<long long>(patch) * filters) +
                    " weights zero (pruned)";
        break;
      }
      case OpKind::BatchNorm: {
        const FixedFormat prod = product_format(x, *oq.weight);
        check_width(n, "x * scale", prod);
        check_width(n, "x * scale + shift", sum_format(prod, *oq.bias));
        const std::string wt = type(c, "weight", *oq.weight), wr = raw(c, "weight", *oq.weight);
        const std::string bt = type(c, "bias", *oq.bias), br = raw(c, "bias", *oq.bias);
        const BatchNormAffine a = batchnorm_affine(n);
        const std::string sa = array(
            c, "scale", wr, quantize_values(a.scale.data(), nullptr, a.scale.size(), *oq.weight),
            "batchnorm scale gamma / sqrt(var + eps) of node '" + n.name + "' in " +
                oq.weight->str());
        const std::string sh = array(
            c, "shift", br, quantize_values(a.shift.data(), nullptr, a.shift.size(), *oq.bias),
            "batchnorm shift beta - mean * scale of node '" + n.name + "' in " + oq.bias->str());
        c.configs += "struct " + cfg + " : nnet::batchnorm_config {\n" +
                     member("int", "n", num(size)) + member("int", "n_feat", num(n.shape.back())) +
                     typedef_line(wt, "weight_t") + typedef_line(wr, "weight_raw_t") +
                     typedef_line(bt, "bias_t") + typedef_line(br, "bias_raw_t") + "};\n";
        call = "nnet::batchnorm<" + in_types[0] + ", " + res + ", " + cfg + ">(" + in[0] +
               ", %OUT%, " + sa + ", " + sh + ");";
        c.summary = "batchnorm (not folded) " + shape_str(n.shape);
        break;
      }
      case OpKind::Activation:
        call = activation(c, n, oq, x, in_types[0], res, in[0], size, cfg, "");
        c.summary = std::string(act_name(oq.act.fn)) + " " + shape_str(n.shape);
        break;
      case OpKind::Softmax: {
        const int cols = n.shape.back();
        c.reuse = reuse_of(n, static_cast<int>(size) / cols);
        const std::string tables =
            softmax_config(c, n, oq, cfg, static_cast<int>(size) / cols, cols, c.reuse);
        call = "nnet::softmax<" + in_types[0] + ", " + res + ", " + cfg + ">(" + in[0] +
               ", %OUT%, " + tables + ");";
        c.summary = "softmax over rows of " + num(cols) + " " + shape_str(n.shape);
        break;
      }
      case OpKind::ConvAttn:
        call = conv_attn(c, n, oq, x, in_types[0], in[0], res, cfg);
        break;
      case OpKind::Flatten:
        call = "nnet::convert<" + in_types[0] + ", " + res + ", " + num(size) + ">(" + in[0] +
               ", %OUT%);";
        c.summary = "flatten " + shape_str(in_shape) + " -> " + shape_str(n.shape);
        break;
      case OpKind::Add: {
        if (n.inputs.size() > 4)
          refuse(n, "adds at most 4 tensors in one node; this add has " +
                        std::to_string(n.inputs.size()) + " inputs (chain two add nodes)");
        FixedFormat s = oq.in[0];
        for (std::size_t k = 1; k < oq.in.size(); ++k) {
          s = sum_format(s, oq.in[k]);
          check_width(n, "the sum of its inputs", s);
        }
        c.configs +=
            "struct " + cfg + " : nnet::merge_config {\n" + member("int", "n", num(size)) + "};\n";
        call = "nnet::add<";
        for (const auto& t : in_types) call += t + ", ";
        call += res + ", " + cfg + ">(";
        for (const auto& a : in) call += a + ", ";
        call += "%OUT%);";
        c.summary =
            "add of " + num(static_cast<long long>(n.inputs.size())) + " " + shape_str(n.shape);
        break;
      }
      case OpKind::Aggregate: {
        const std::string fn = n.attr_str("fn", "mean");
        std::string members =
            member("int", "n_elem", num(in_shape[0])) + member("int", "n_feat", num(in_shape[1]));
        if (fn != "max") members += typedef_line(type(c, "accum", *oq.accum), "accum_t");
        c.configs += "struct " + cfg + " : nnet::aggregate_config {\n" + members + "};\n";
        call = "nnet::aggregate_" + fn + "<" + in_types[0] + ", " + res + ", " + cfg + ">(" +
               in[0] + ", %OUT%);";
        c.summary = "aggregate " + fn + " " + shape_str(in_shape) + " -> " + shape_str(n.shape);
        break;
      }
      case OpKind::LayerNorm:
        refuse(n, "cannot implement layernorm (no fixed-point meaning in nac)");
    }
    if (c.reuse > 1) out_.all_latency = false;
    declare_out(c, res, size);
    const auto at = call.find("%OUT%");
    call.replace(at, 5, c.out);
    c.body += "  " + call + "\n";
  }

  // An activation of format x into `res`; returns the call (%OUT% for the output array).
  std::string activation(LayerCode& c, const Node& n, const OpQuant& oq, const FixedFormat& x,
                         const std::string& in_type, const std::string& res, const std::string& in,
                         std::size_t size, const std::string& cfg, const std::string& role_prefix) {
    std::string members = member("int", "n", num(static_cast<long long>(size)));
    std::string fn, extra;
    switch (oq.act.fn) {
      case ActFn::Identity:
        fn = "identity";
        break;
      case ActFn::ReLU:
        fn = "relu";
        break;
      case ActFn::LeakyReLU: {
        fn = "leaky_relu";
        const FixedFormat& af = oq.ex("alpha");
        check_width(n, "alpha * x", product_format(af, x));
        const std::string at = type(c, role_prefix + "alpha", af);
        const std::string ar = raw(c, role_prefix + "alpha", af);
        members += typedef_line(at, "alpha_t") + typedef_line(ar, "alpha_raw_t") +
                   member("long long", "alpha_raw", int_literal(quantize(oq.act.alpha, af)));
        break;
      }
      case ActFn::Sigmoid:
      case ActFn::Tanh:
      case ActFn::GELU: {
        fn = "table_activation";
        const Table& t = oq.table("act");
        check_table(n, "act", t);
        const std::string raw_name = type_raw(c, "act_raw", oq.result);
        members += table_members(t, raw_name);
        extra =
            ", " + array(c, "act_table", raw_name, t.entries,
                         std::string(table_function_name(t.spec.function)) + " table of node '" +
                             n.name + "': " + std::to_string(t.spec.size) + " entries of " +
                             oq.result.str() + " over [" + fmt_double(t.spec.lo) + ", " +
                             fmt_double(t.spec.hi) + ") of " + t.spec.input.str());
        break;
      }
    }
    c.configs += "struct " + cfg + " : nnet::activation_config {\n" + members + "};\n";
    return "nnet::" + fn + "<" + in_type + ", " + res + ", " + cfg + ">(" + in + ", %OUT%" + extra +
           ");";
  }

  // Softmax types, tables and config `cfg`; returns the "exp, inv" table arrays.
  std::string softmax_config(LayerCode& c, const Node& n, const OpQuant& oq, const std::string& cfg,
                             int rows, int cols, int reuse) {
    check_width(n, "exp * (1/sum)", product_format(oq.ex("exp"), oq.ex("inv")));
    const std::string et = type(c, "exp", oq.ex("exp"));
    const std::string st = type(c, "exp_sum", oq.ex("exp_sum"));
    const std::string it = type(c, "inv", oq.ex("inv"));
    const std::string ea = table(c, n, oq, "exp", oq.ex("exp"), c.id + "_exp_table_config");
    const std::string ia = table(c, n, oq, "inv", oq.ex("inv"), c.id + "_inv_table_config");
    c.configs += "struct " + cfg + " : nnet::softmax_config {\n" +
                 member("int", "n_rows", num(rows)) + member("int", "n_cols", num(cols)) +
                 reuse_members(reuse) + typedef_line(et, "exp_t") + typedef_line(st, "exp_sum_t") +
                 typedef_line(it, "inv_t") + typedef_line(c.id + "_exp_table_config", "exp_table") +
                 typedef_line(c.id + "_inv_table_config", "inv_table") + "};\n";
    return ea + ", " + ia;
  }

  std::string conv_attn(LayerCode& c, const Node& n, const OpQuant& oq, const FixedFormat& x,
                        const std::string& in_type, const std::string& in, const std::string& res,
                        const std::string& cfg) {
    const int P = n.shape[0] * n.shape[1], C = n.shape[2];
    const int H = static_cast<int>(n.attr_int("hidden"));
    c.reuse = reuse_of(n, P);
    weight_and_bias_types(c, n, oq);
    const std::string acc = type(c, "accum", *oq.accum);
    std::map<std::string, std::string> t;
    for (const char* e : {"q", "k", "v", "score_accum", "score", "attn", "attend_accum", "attend",
                          "proj_accum", "proj", "residual"})
      t[e] = type(c, e, oq.ex(e));
    check_width(n, "q * k", product_format(oq.ex("q"), oq.ex("k")));
    check_width(n, "attn * v", product_format(oq.ex("attn"), oq.ex("v")));
    check_width(n, "x + proj", sum_format(x, oq.ex("proj")));
    auto proj_cfg = [&](const std::string& name, int rows, int fin, int fout,
                        const std::string& members) {
      c.configs += "struct " + name + " : nnet::dense_config {\n" +
                   member("int", "n_rows", num(rows)) + member("int", "n_in", num(fin)) +
                   member("int", "n_out", num(fout)) + reuse_members(std::min(c.reuse, fin)) +
                   members + "};\n";
    };
    const Sum sq = weighted(c, n, oq, "q_", "q_weight", "q_bias", x, *oq.accum, acc);
    const Sum sk = weighted(c, n, oq, "k_", "k_weight", "k_bias", x, *oq.accum, acc);
    const Sum sv = weighted(c, n, oq, "v_", "v_weight", "v_bias", x, *oq.accum, acc);
    const Sum sp = weighted(c, n, oq, "proj_", "proj_weight", "proj_bias", oq.ex("attend"),
                            oq.ex("proj_accum"), t["proj_accum"]);
    proj_cfg(cfg + "_qkv", P, C, H, sq.members);
    proj_cfg(cfg + "_proj", P, H, C, sp.members);
    const std::string tables = softmax_config(c, n, oq, cfg + "_softmax", P, P, 1);
    std::string members = member("int", "n_pos", num(P)) + member("int", "n_chan", num(C)) +
                          member("int", "n_hidden", num(H)) + reuse_members(c.reuse);
    for (const auto& [e, name] : t) members += typedef_line(name, e + "_t");
    members += typedef_line(cfg + "_qkv", "q_config") + typedef_line(cfg + "_qkv", "k_config") +
               typedef_line(cfg + "_qkv", "v_config") + typedef_line(cfg + "_proj", "proj_config") +
               typedef_line(cfg + "_softmax", "softmax_config");
    c.configs += "struct " + cfg + " : nnet::conv_attn_config {\n" + members + "};\n";
    const std::string z = c.id + "_residual";
    c.body += declare(t["residual"], z, static_cast<std::size_t>(P) * C);
    c.body += "  nnet::conv_attn<" + in_type + ", " + t["residual"] + ", " + cfg + ">(\n      " +
              in + ", " + z + ", " + sq.w + ", " + sq.b + ", " + sk.w + ", " + sk.b + ", " + sv.w +
              ", " + sv.b + ",\n      " + sp.w + ", " + sp.b + ", " + tables + ");\n";
    const int zeros = sq.zeros + sk.zeros + sv.zeros + sp.zeros;
    c.summary = "conv_attn " + shape_str(n.shape) + " hidden " + num(H) + " then " +
                act_name(oq.act.fn) + ", " + num(zeros) + " of " + num(4LL * C * H) +
                " weights zero (pruned)";
    return activation(c, n, oq, oq.ex("residual"), t["residual"], res, z,
                      static_cast<std::size_t>(P) * C, cfg + "_act", "act_");
  }

  void check_unique_names() const {
    std::map<std::string, int> seen;
    for (const LayerCode& c : out_.layers) {
      std::vector<std::string> names;
      for (const auto& t : c.types) names.push_back(t.name);
      for (const auto& a : c.arrays) names.push_back(a.name);
      if (c.node != 0) names.push_back(c.out);
      for (const auto& nm : names) {
        const auto [it, fresh] = seen.emplace(nm, c.node);
        if (!fresh && it->second != c.node)
          throw GraphError("nodes '" + g_.node(it->second).name + "' and '" + g_.node(c.node).name +
                           "' both lead to the C++ name '" + nm +
                           "' in the generated code; rename one of them");
      }
    }
  }

  const Graph& g_;
  const std::vector<OpQuant>& q_;
  const HlsOptions& opt_;
  std::vector<std::string> ids_;
  LoweredGraph out_;
};

}  // namespace

LoweredGraph lower_graph(const Graph& g, const std::vector<OpQuant>& q, const HlsOptions& opt) {
  check_options(opt);
  return Lowerer(g, q, opt).run();
}

}  // namespace nac::hls
