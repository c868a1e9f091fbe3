#include "nac/train/executor.hpp"

#include "nac/core/error.hpp"
#include "nac/graph/op.hpp"

namespace nac {

template <typename T>
Executor<T>::Executor(const Graph& g) : graph_(g) {
  const auto n = static_cast<std::size_t>(graph_.size());
  params_.resize(n);
  grads_.resize(n);
  saved_.resize(n);
  acts_.resize(n);
  dacts_.resize(n);
  load_params(graph_);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& p : params_[i]) grads_[i].emplace_back(p.shape);
}

template <typename T>
void Executor<T>::load_params(const Graph& g) {
  NAC_ASSERT(g.size() == graph_.size());
  for (int i = 0; i < g.size(); ++i) {
    auto& ps = params_[static_cast<std::size_t>(i)];
    ps.clear();
    for (const auto& p : g.node(i).params) {
      ps.push_back(tensor_cast<T>(p.value));
      // A pruned entry is 0 whatever value a file stored for it.
      for (std::size_t j = 0; j < p.mask.size(); ++j)
        if (!p.mask[j]) ps.back()[j] = T(0);
    }
    graph_.node(i).params = g.node(i).params;
  }
}

template <typename T>
void Executor<T>::store_params(Graph& g) const {
  NAC_ASSERT(g.size() == graph_.size());
  for (int i = 0; i < g.size(); ++i) {
    auto& node_params = g.node(i).params;
    const auto& ps = params_[static_cast<std::size_t>(i)];
    NAC_ASSERT(node_params.size() == ps.size());
    for (std::size_t k = 0; k < ps.size(); ++k) node_params[k].value = tensor_cast<float>(ps[k]);
  }
}

template <typename T>
void Executor<T>::apply_masks() {
  for (int i = 0; i < graph_.size(); ++i) {
    const auto& node_params = graph_.node(i).params;
    for (std::size_t k = 0; k < node_params.size(); ++k) {
      const auto& mask = node_params[k].mask;
      if (mask.empty()) continue;
      auto& v = params_[static_cast<std::size_t>(i)][k];
      auto& gr = grads_[static_cast<std::size_t>(i)][k];
      for (std::size_t j = 0; j < mask.size(); ++j)
        if (!mask[j]) v[j] = gr[j] = T(0);
    }
  }
}

template <typename T>
void Executor<T>::set_qat(bool on) {
  if (on) {
    ResolveOptions opt;
    opt.require_all = false;
    quant_ = resolve_quant(graph_, opt);
    qat_state_.assign(static_cast<std::size_t>(graph_.size()), QatState<T>{});
  }
  qat_ = on;
}

template <typename T>
const Tensor<T>& Executor<T>::forward(const Tensor<T>& x, bool training) {
  const auto inputs = graph_.input_ids();
  NAC_ASSERT(inputs.size() == 1);
  const Shape& in_shape = graph_.node(inputs[0]).shape;
  if (x.rank() != static_cast<int>(in_shape.size()) + 1 ||
      !std::equal(in_shape.begin(), in_shape.end(), x.shape.begin() + 1))
    throw InputError("input batch has shape " + shape_str(x.shape) + ", the model expects [N, " +
                     shape_str(in_shape).substr(1));
  const auto n_nodes = static_cast<std::size_t>(graph_.size());
  if (x.dim(0) != batch_ || batched_.size() != n_nodes) {
    batch_ = x.dim(0);
    batched_.assign(n_nodes, Shape{});
    for (std::size_t i = 0; i < n_nodes; ++i) {
      const Shape& s = graph_.node(static_cast<int>(i)).shape;
      batched_[i] = Shape{batch_};
      batched_[i].insert(batched_[i].end(), s.begin(), s.end());
    }
  }
  ins_.resize(n_nodes);
  for (int id = 0; id < graph_.size(); ++id) {
    const Node& n = graph_.node(id);
    const auto i = static_cast<std::size_t>(id);
    const bool quantized = qat_ && quant_[i].quantized;
    if (n.op == OpKind::Input) {
      acts_[i].shape = x.shape;
      acts_[i].data.assign(x.data.begin(), x.data.end());  // reuses the buffer
      if (quantized)
        fake_quantize_values(acts_[i].ptr(), acts_[i].ptr(), acts_[i].size(), quant_[i].result);
      continue;
    }
    if (acts_[i].shape != batched_[i]) acts_[i].resize(batched_[i]);
    auto& in = ins_[i];
    if (in.size() != n.inputs.size()) {  // first call (or an op threw while holding the list)
      in.clear();
      for (int k : n.inputs) in.push_back(&acts_[static_cast<std::size_t>(k)]);
    }
    OpForward<T> f{n, batch_, std::move(in), acts_[i], params_[i], saved_[i], training};
    if (quantized)
      qat_forward(quant_[i], f, qat_state_[i]);
    else
      op_forward(f);
    in = std::move(f.in);
  }
  return acts_.back();
}

template <typename T>
void Executor<T>::backward(const Tensor<T>& dout) {
  NAC_ASSERT(dout.shape == acts_.back().shape);
  const std::size_t last = dacts_.size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    const bool is_input = graph_.node(static_cast<int>(i)).op == OpKind::Input;
    if (is_input && !input_grad_) continue;
    if (dacts_[i].shape != acts_[i].shape) dacts_[i].resize(acts_[i].shape);
    dacts_[i].zero();
  }
  dacts_[last].shape = dout.shape;
  dacts_[last].data.assign(dout.data.begin(), dout.data.end());
  ins_.resize(dacts_.size());
  dins_.resize(dacts_.size());
  for (int id = graph_.size() - 1; id >= 0; --id) {
    const Node& n = graph_.node(id);
    if (n.op == OpKind::Input) continue;
    const auto i = static_cast<std::size_t>(id);
    auto& in = ins_[i];
    auto& din = dins_[i];
    in.clear();
    din.clear();
    for (int k : n.inputs) {
      const auto j = static_cast<std::size_t>(k);
      in.push_back(&acts_[j]);
      const bool needed = input_grad_ || graph_.node(k).op != OpKind::Input;
      din.push_back(needed ? &dacts_[j] : nullptr);
    }
    OpBackward<T> b{n,          batch_,    std::move(in), acts_[i], dacts_[i], std::move(din),
                    params_[i], grads_[i], saved_[i]};
    if (qat_ && quant_[i].quantized)
      qat_backward(quant_[i], b, qat_state_[i]);
    else
      op_backward(b);
    in = std::move(b.in);
    din = std::move(b.din);
  }
}

template <typename T>
void Executor<T>::zero_grads() {
  for (auto& gs : grads_)
    for (auto& g : gs) g.zero();
}

template <typename T>
const Tensor<T>& Executor<T>::input_grad() const {
  NAC_ASSERT(input_grad_);
  return dacts_[static_cast<std::size_t>(graph_.input_ids().at(0))];
}

template class Executor<float>;
template class Executor<double>;

}  // namespace nac
