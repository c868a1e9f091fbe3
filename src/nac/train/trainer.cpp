#include "nac/train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "nac/core/error.hpp"

namespace nac {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Copies rows idx[begin, end) of `src` ([N, ...]) into `dst` ([end-begin, ...]).
void gather_rows(const Tensor<float>& src, const std::vector<int>& idx, std::size_t begin,
                 std::size_t end, Tensor<float>& dst) {
  Shape s = src.shape;
  s[0] = static_cast<int>(end - begin);
  dst.resize(s);
  const std::size_t row = src.size() / static_cast<std::size_t>(src.dim(0));
  for (std::size_t i = begin; i < end; ++i)
    std::copy_n(src.ptr() + row * static_cast<std::size_t>(idx[i]), row,
                dst.ptr() + row * (i - begin));
}

// Rows [begin, end) of `src`, in order.
void slice_rows(const Tensor<float>& src, std::size_t begin, std::size_t end, Tensor<float>& dst) {
  Shape s = src.shape;
  s[0] = static_cast<int>(end - begin);
  dst.resize(s);
  const std::size_t row = src.size() / static_cast<std::size_t>(src.dim(0));
  std::copy(src.ptr() + row * begin, src.ptr() + row * end, dst.ptr());
}

}  // namespace

const char* train_status_name(TrainStatus s) {
  switch (s) {
    case TrainStatus::Completed:
      return "completed";
    case TrainStatus::EarlyStopped:
      return "early_stopped";
    case TrainStatus::StoppedByCallback:
      return "stopped";
    case TrainStatus::Diverged:
      return "diverged";
  }
  return "?";
}

void validate(const TrainOptions& opt) {
  if (opt.batch_size < 1) throw InputError("train.batch: must be >= 1");
  if (opt.eval_batch_size < 1) throw InputError("train.eval_batch: must be >= 1");
  if (opt.epochs < 1) throw InputError("train.epochs: must be >= 1");
  if (opt.patience < 0) throw InputError("train.patience: must be >= 0");
  if (!(opt.clip_norm >= 0)) throw InputError("train.clip_norm: must be >= 0");
  make_optimizer(opt.optimizer);                                 // checks its options
  LrSchedule check(opt.schedule, opt.optimizer.lr, opt.epochs);  // likewise
  (void)check;
}

Trainer::Trainer(const Graph& graph, TrainOptions opt) : exec_(graph), opt_(std::move(opt)) {
  validate(opt_);
  opt_.schedule.maximize = metric_maximizes(opt_.metric.kind);
}

void Trainer::check_data(const Dataset& d, const char* what) const {
  const Shape& in = exec_.graph().input_shape();
  if (d.size() == 0) throw InputError(std::string("trainer: the ") + what + " set is empty");
  if (d.sample_shape() != in)
    throw InputError(std::string("trainer: ") + what + " samples (" + d.source + ") have shape " +
                     shape_str(d.sample_shape()) + ", the model's input is " + shape_str(in));
  if (d.y.shape.empty() || d.y.dim(0) != d.size())
    throw InputError(std::string("trainer: ") + what + " set has " + std::to_string(d.size()) +
                     " inputs but targets of shape " + shape_str(d.y.shape));
}

Tensor<float> Trainer::predict(const Tensor<float>& x) {
  const int n = x.shape.empty() ? 0 : x.dim(0);
  Tensor<float> out;
  Shape s{n};
  const Shape& os = exec_.graph().output_shape();
  s.insert(s.end(), os.begin(), os.end());
  out.resize(s);
  const std::size_t row = shape_size(os);
  Tensor<float> xb;
  for (int b = 0; b < n; b += opt_.eval_batch_size) {
    const int e = std::min(n, b + opt_.eval_batch_size);
    slice_rows(x, static_cast<std::size_t>(b), static_cast<std::size_t>(e), xb);
    const Tensor<float>& y = exec_.forward(xb, false);
    std::copy(y.data.begin(), y.data.end(), out.ptr() + row * static_cast<std::size_t>(b));
  }
  return out;
}

MetricValues Trainer::evaluate(const Dataset& d) {
  check_data(d, "evaluation");
  const Tensor<float> pred = predict(d.x);
  const double loss = compute_loss<float>(opt_.loss, pred, d.y, nullptr);
  return compute_metrics(opt_.metric, pred, d.y, loss);
}

Graph Trainer::graph() const {
  Graph g = exec_.graph();
  exec_.store_params(g);
  return g;
}

void Trainer::clip_gradients() {
  const auto& nodes = exec_.graph().nodes();
  double sq = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (std::size_t k = 0; k < nodes[i].params.size(); ++k)
      if (nodes[i].params[k].trainable)
        for (float g : exec_.grads()[i][k].data) sq += static_cast<double>(g) * g;
  const double coef = opt_.clip_norm / (std::sqrt(sq) + 1e-6);  // torch's clip_grad_norm_
  if (coef >= 1) return;
  const auto c = static_cast<float>(coef);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (std::size_t k = 0; k < nodes[i].params.size(); ++k)
      if (nodes[i].params[k].trainable)
        for (float& g : exec_.grads()[i][k].data) g *= c;
}

void Trainer::restore(const Snapshot& s) {
  auto& params = exec_.params();
  for (std::size_t i = 0; i < params.size(); ++i)
    for (std::size_t k = 0; k < params[i].size(); ++k)
      std::copy(s[i][k].data.begin(), s[i][k].data.end(), params[i][k].data.begin());
}

TrainResult Trainer::fit(const Dataset& train, const Dataset& val) {
  check_data(train, "training");
  check_data(val, "validation");
  const auto t_start = Clock::now();
  TrainResult r;

  // Trainable parameters as optimiser slots (pointers stay valid: tensors are never resized).
  std::vector<ParamSlot> slots;
  const auto& nodes = exec_.graph().nodes();
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (std::size_t k = 0; k < nodes[i].params.size(); ++k)
      if (nodes[i].params[k].trainable)
        slots.push_back(
            {exec_.params()[i][k].ptr(), exec_.grads()[i][k].ptr(), exec_.params()[i][k].size()});
  auto optimizer = make_optimizer(opt_.optimizer);
  LrSchedule schedule(opt_.schedule, opt_.optimizer.lr, opt_.epochs);
  Rng root(opt_.seed);
  Rng shuffle_rng = root.split(1);
  Rng augment_rng = root.split(2);

  exec_.apply_masks();
  Snapshot best_params;
  int bad_epochs = 0;
  long long samples = 0;
  const int n = train.size();
  Tensor<float> xb, yb, dout;
  for (int epoch = 1; epoch <= opt_.epochs; ++epoch) {
    const double lr = schedule.lr();
    optimizer->set_lr(lr);
    const auto perm = shuffle_rng.permutation(n);
    const auto t_train = Clock::now();
    double loss_sum = 0;
    for (int b = 0; b < n; b += opt_.batch_size) {
      const int e = std::min(n, b + opt_.batch_size);
      gather_rows(train.x, perm, static_cast<std::size_t>(b), static_cast<std::size_t>(e), xb);
      gather_rows(train.y, perm, static_cast<std::size_t>(b), static_cast<std::size_t>(e), yb);
      if (augment_) augment_(xb, yb, augment_rng);
      exec_.zero_grads();
      const Tensor<float>& out = exec_.forward(xb, true);
      const double loss = compute_loss<float>(opt_.loss, out, yb, &dout);
      if (!std::isfinite(loss)) {
        r.status = TrainStatus::Diverged;
        r.message = "training loss became " + std::to_string(loss) + " at epoch " +
                    std::to_string(epoch) + ", batch " + std::to_string(b / opt_.batch_size + 1);
        break;
      }
      loss_sum += loss * (e - b);
      exec_.backward(dout);
      exec_.apply_masks();  // pruned weights get no gradient (nor momentum, nor decay)
      if (opt_.clip_norm > 0) clip_gradients();
      optimizer->step(slots);
      exec_.apply_masks();
      samples += e - b;
    }
    r.train_s += seconds_since(t_train);
    if (r.status == TrainStatus::Diverged) break;

    EpochStats st;
    st.epoch = epoch;
    st.epochs = opt_.epochs;
    st.lr = lr;
    st.train_loss = loss_sum / n;
    st.val = evaluate(val);
    r.epochs_run = epoch;
    if (!std::isfinite(st.val.values.at("loss"))) {
      r.status = TrainStatus::Diverged;
      r.message = "validation loss became " + std::to_string(st.val.values.at("loss")) +
                  " at epoch " + std::to_string(epoch);
      break;
    }
    st.improved = r.best_epoch == 0 || score_better(st.val.score, r.best.score, st.val.maximize);
    if (st.improved) {
      r.best_epoch = epoch;
      r.best = st.val;
      if (opt_.restore_best) best_params = exec_.params();
      bad_epochs = 0;
    } else {
      ++bad_epochs;
    }
    schedule.step(st.val.score);
    st.elapsed_s = seconds_since(t_start);
    r.history.push_back(st);
    if (callback_ && !callback_(r.history.back())) {
      r.status = TrainStatus::StoppedByCallback;
      break;
    }
    if (opt_.patience > 0 && bad_epochs >= opt_.patience) {
      r.status = TrainStatus::EarlyStopped;
      break;
    }
  }
  if (opt_.restore_best && r.best_epoch > 0) restore(best_params);
  r.steps = optimizer->steps();
  r.wall_s = seconds_since(t_start);
  r.samples_per_second = r.train_s > 0 ? static_cast<double>(samples) / r.train_s : 0;
  return r;
}

}  // namespace nac
