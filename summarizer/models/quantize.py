"""int8 weights for a torch model on the CPU.

Decoding reads every weight once per new token, so on a CPU it is bound by memory bandwidth:
int8 weights halve the bytes of bfloat16. Every linear layer keeps its weights as int8 with one
scale per output row (`Int8Linear`); activations stay in the compute dtype and are never
quantized, so one token's outlier activations (language models have some, on the first token
above all) cannot coarsen another's, and each row of a batch is computed as it would be alone.
The kernel depends on how many rows a call brings:

- a few rows (decoding: one new token per answer of a batch) go through torch's weight-only
  int8 matmul, which reads the int8 weights directly;
- many rows (reading prompts) multiply with the weights dequantized once per call, by the compute
  dtype's GEMM (AMX/AVX512-BF16), where the arithmetic, not the reading of weights, is the cost.

The embedding, norms and attention keep the load dtype.
"""

from __future__ import annotations

import torch

# Symmetric int8: the largest magnitude of a row maps to 127.
_INT8_MAX = 127.0
# Up to this many rows per call the int8 kernel wins; above it dequantizing once per call does.
# A decoding step of a batch of answers has one row per answer.
DECODE_ROWS = 16


class Int8Linear(torch.nn.Module):
    """A linear layer with int8 weights (per-row scales) and float activations."""

    weight_int8: torch.Tensor
    scales: torch.Tensor
    bias: torch.Tensor | None

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.in_features = linear.in_features
        self.out_features = linear.out_features
        dtype = linear.weight.dtype
        weight = linear.weight.detach().float()
        scales = (weight.abs().amax(dim=1) / _INT8_MAX).clamp(min=torch.finfo(torch.float32).tiny)
        self.register_buffer("weight_int8", torch.round(weight / scales[:, None]).to(torch.int8))
        self.register_buffer("scales", scales.to(dtype))
        bias = linear.bias.detach() if linear.bias is not None else None
        self.register_buffer("bias", bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.numel() // self.in_features
        if rows <= DECODE_ROWS:
            flat = x.reshape(rows, self.in_features).to(self.scales.dtype)
            out = torch._weight_int8pack_mm(flat, self.weight_int8, self.scales)
            out = out.reshape(*x.shape[:-1], self.out_features).to(x.dtype)
        else:
            weight = self.weight_int8.to(x.dtype) * self.scales.to(x.dtype)[:, None]
            out = torch.nn.functional.linear(x, weight)
        return out if self.bias is None else out + self.bias.to(out.dtype)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, weights=int8"


def quantize_linear_layers(model: torch.nn.Module) -> int:
    """Replace every `torch.nn.Linear` of `model` with an `Int8Linear`, in place; the count.

    Layers are converted one at a time, so the peak memory is the loaded model plus one layer's
    float32 copy, never the whole model in float32. A tied output projection gets its own int8
    copy; the embedding it was tied to keeps serving lookups.
    """
    replaced = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is torch.nn.Linear:
                setattr(parent, name, Int8Linear(child))
                replaced += 1
    return replaced
