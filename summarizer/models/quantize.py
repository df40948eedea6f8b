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

import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
        bias = linear.bias.detach() if linear.bias is not None else None
        self._setup(linear.weight.detach(), bias, linear.weight.dtype)

    @classmethod
    def from_tensors(cls, weight: torch.Tensor, bias: torch.Tensor | None, dtype: torch.dtype) -> Int8Linear:
        """An int8 layer from a float weight (out x in) and bias, computing in `dtype`."""
        layer = cls.__new__(cls)
        layer._setup(weight, bias, dtype)
        return layer

    def _setup(self, weight: torch.Tensor, bias: torch.Tensor | None, dtype: torch.dtype) -> None:
        super().__init__()
        self.out_features, self.in_features = weight.shape
        weight = weight.float()
        scales = (weight.abs().amax(dim=1) / _INT8_MAX).clamp(min=torch.finfo(torch.float32).tiny)
        self.register_buffer("weight_int8", torch.round(weight / scales[:, None]).to(torch.int8))
        self.register_buffer("scales", scales.to(dtype))
        self.register_buffer("bias", None if bias is None else bias.to(dtype).clone())

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
    # Names, not modules: holding the modules would keep every float weight alive to the end.
    names = [name for name, module in model.named_modules() if type(module) is torch.nn.Linear]
    for name in names:
        parent_name, _, child_name = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        setattr(parent, child_name, Int8Linear(getattr(parent, child_name)))
    return len(names)


class CheckpointLayoutError(ValueError):
    """The checkpoint's tensor names do not fit the model its config describes."""


# safetensors dtype names of the float tensors a checkpoint holds.
_SAFETENSORS_DTYPES = {"BF16": torch.bfloat16, "F16": torch.float16, "F32": torch.float32}


def read_safetensors(path: Path) -> Iterator[tuple[str, torch.Tensor]]:
    """Every tensor of a safetensors file, one at a time, each in its own memory.

    Plain reads, not a memory map: a map keeps every page it touched resident (and counted
    against the process) until the last tensor viewing it is gone, so converting a 3 GB file
    would hold 3 GB of it beside the int8 copy.
    """
    with path.open("rb") as stream:
        header_size = struct.unpack("<Q", stream.read(8))[0]
        header = json.loads(stream.read(header_size))
        base = 8 + header_size
        entries = sorted(
            ((name, info) for name, info in header.items() if name != "__metadata__"),
            key=lambda item: item[1]["data_offsets"][0],
        )
        for name, info in entries:
            dtype = _SAFETENSORS_DTYPES.get(info["dtype"])
            if dtype is None:
                raise ValueError(f"{path.name}: tensor {name} has dtype {info['dtype']}, not a float type")
            start, end = info["data_offsets"]
            stream.seek(base + start)
            data = bytearray(end - start)
            if stream.readinto(data) != len(data):
                raise ValueError(f"{path.name}: tensor {name} is cut short")
            yield (
                name,
                torch.frombuffer(data, dtype=dtype).reshape(info["shape"])
                if data
                else torch.empty(info["shape"], dtype=dtype),
            )


def checkpoint_files(folder: Path) -> list[Path]:
    """The safetensors files of a model folder (one, or the shards its index lists)."""
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        shards = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
        return [folder / shard for shard in shards]
    return [folder / "model.safetensors"]


def load_int8_model(folder: Path, auto_class: Any, compute_dtype: torch.dtype) -> Any:
    """A causal language model with int8 linear layers, built tensor by tensor from its
    checkpoint: the peak memory is the int8 model plus one float tensor, never the float model.

    Raises CheckpointLayoutError when the checkpoint does not fit the model its config
    describes, ValueError when a file is damaged.
    """
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(folder, local_files_only=True, trust_remote_code=False)
    with torch.device("meta"):
        model = auto_class.from_config(config, dtype=compute_dtype, trust_remote_code=False)
    linears = {name for name, module in model.named_modules() if type(module) is torch.nn.Linear}
    pending: dict[str, dict[str, torch.Tensor]] = {}
    for path in checkpoint_files(folder):
        for key, tensor in read_safetensors(path):
            module_name, _, attribute = key.rpartition(".")
            if module_name in linears:
                parts = pending.setdefault(module_name, {})
                parts[attribute] = tensor
                if _complete(model.get_submodule(module_name), parts):
                    _replace(
                        model, module_name, Int8Linear.from_tensors(parts["weight"], parts.get("bias"), compute_dtype)
                    )
                    del pending[module_name]
            else:
                _assign(model, key, tensor.to(compute_dtype))
    if getattr(config, "tie_word_embeddings", False) and _is_meta(model.get_output_embeddings()):
        embedding = model.get_input_embeddings().weight
        output_name = next(name for name, module in model.named_modules() if module is model.get_output_embeddings())
        _replace(model, output_name, Int8Linear.from_tensors(embedding, None, compute_dtype))
    _rebuild_meta_buffers(model, config)
    left = [name for name, value in [*model.named_parameters(), *model.named_buffers()] if value.is_meta]
    if left or pending:
        raise CheckpointLayoutError(f"the checkpoint lacks {', '.join((left + list(pending))[:3])}")
    return model.eval()


def _complete(linear: torch.nn.Module, parts: dict[str, torch.Tensor]) -> bool:
    return "weight" in parts and (getattr(linear, "bias", None) is None or "bias" in parts)


def _replace(model: Any, name: str, module: torch.nn.Module) -> None:
    parent_name, _, child_name = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child_name, module)


def _assign(model: Any, key: str, tensor: torch.Tensor) -> None:
    module_name, _, attribute = key.rpartition(".")
    try:
        module = model.get_submodule(module_name)
    except AttributeError as error:
        raise CheckpointLayoutError(f"the checkpoint holds {key}, which the model does not have") from error
    if attribute in module._parameters:
        module._parameters[attribute] = torch.nn.Parameter(tensor, requires_grad=False)
    elif attribute in module._buffers:
        module._buffers[attribute] = tensor
    else:
        raise CheckpointLayoutError(f"the checkpoint holds {key}, which the model does not have")


def _is_meta(module: Any) -> bool:
    return any(p.is_meta for p in module.parameters()) or any(b.is_meta for b in module.buffers())


def _rebuild_meta_buffers(model: Any, config: Any) -> None:
    """Buffers computed at construction, not stored (rotary frequencies), made again on the CPU."""
    for name, module in list(model.named_modules()):
        own = [b for b in module._buffers.values() if b is not None and b.is_meta]
        if own and type(module).__name__.endswith("RotaryEmbedding"):
            with torch.device("cpu"):
                _replace(model, name, type(module)(config=config))
