"""How inputs are grouped into generate() calls, for every engine and every model."""

from __future__ import annotations


def plan_batches(lengths: list[int], token_budget: int, max_batch_size: int) -> list[list[int]]:
    """Group input indices into batches, longest first, so that rows × longest row stays
    within the token budget (padding wastes little when neighbours have similar lengths).
    A single input longer than the budget gets a batch of its own."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else lengths[index]
        if current and ((len(current) + 1) * longest > token_budget or len(current) >= max_batch_size):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def similar_length_groups(lengths: list[int], spread: int) -> list[list[int]]:
    """Indices grouped by length, shortest first, each group's lengths within ``spread``."""
    groups: list[list[int]] = []
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        if groups and lengths[index] - lengths[groups[-1][0]] <= spread:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups
