// Vector lowering for the WASM suffix. convert-vector-to-llvm would apply these rewrites itself, but its type
// converter hard-codes a 64-bit index (no option, DLTI ignored), so WASM lowers vectors with convert-to-llvm
// {dynamic=true} instead, which only converts and needs transfers, masks, contractions... rewritten first.
// lower_shape_cast is left out on purpose: it produces vector.insert_strided_slice, which nothing outside
// convert-vector-to-llvm can lower.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %f = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %f {
      transform.apply_patterns.vector.lower_contraction
      transform.apply_patterns.vector.lower_masks
      transform.apply_patterns.vector.lower_masked_transfers
      transform.apply_patterns.vector.materialize_masks
      transform.apply_patterns.vector.lower_broadcast
      transform.apply_patterns.vector.lower_transpose
      transform.apply_patterns.vector.lower_interleave
      transform.apply_patterns.vector.lower_bitcast
      transform.apply_patterns.vector.lower_gather
      transform.apply_patterns.vector.lower_outerproduct
      transform.apply_patterns.vector.lower_multi_reduction
      transform.apply_patterns.vector.lower_transfer max_transfer_rank = 1
      transform.apply_patterns.vector.lower_scan
      transform.apply_patterns.vector.rank_reducing_subview_patterns
    } : !transform.any_op
    transform.yield
  }
}
