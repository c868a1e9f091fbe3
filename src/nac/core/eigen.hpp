#pragma once
// Eigen views over tensor storage (row-major, like Tensor).
#include <Eigen/Core>

namespace nac {

template <typename T>
using MatrixRM = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using MatMap = Eigen::Map<MatrixRM<T>>;
template <typename T>
using ConstMatMap = Eigen::Map<const MatrixRM<T>>;
template <typename T>
using VecMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstVecMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;

}  // namespace nac
